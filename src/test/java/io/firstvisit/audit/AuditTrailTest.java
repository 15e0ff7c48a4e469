package io.firstvisit.audit;

import io.firstvisit.inventory.Inventory;
import io.firstvisit.inventory.ReservationReaper;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotView;
import io.firstvisit.support.Api;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.firstvisit.support.Api.book;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every booking, cancellation and recovery action leaves an append-only line, readable by schedulers. */
@QuarkusTest
class AuditTrailTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Inject
    Inventory inventory;

    @Inject
    ReservationReaper reaper;

    @Inject
    SlotDirectory slots;

    @Test
    void aBookingAndItsCancellationAreTraced() {
        String slot = Api.openSlot(2);
        String account = "audit-" + slot;
        String booking = book(account, null, slot, Api.patient(account)).then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.patient(account)).delete("/api/v1/bookings/" + booking).then().statusCode(200);
        given().auth().oauth2(Tokens.patient(account)).delete("/api/v1/bookings/" + booking).then().statusCode(200);

        given().auth().oauth2(Api.schedulerToken()).get("/api/v1/admin/bookings/" + booking + "/history")
                .then().statusCode(200)
                .body("action", contains("BOOKED", "CANCELLED"))
                .body("accountId", everyItem(org.hamcrest.Matchers.equalTo(account)))
                .body("reason", everyItem(not(containsString("Child")))); // ids and seats only, never names
    }

    @Test
    void anExpiredReservationIsTraced() {
        SlotView slot = slots.find(UUID.fromString(Api.openSlot(2))).await().atMost(WAIT);
        UUID reservation = UUID.randomUUID();
        String account = "reserver " + UUID.randomUUID(); // a space in the id: the record's last field is kept whole
        inventory.reserve(slot.day(), slot.id(), UUID.randomUUID(), reservation, account, 3, Instant.now().minusSeconds(60)).await().atMost(WAIT);

        reaper.sweep(slot.day(), Instant.now()).await().atMost(WAIT);

        given().auth().oauth2(Api.schedulerToken()).get("/api/v1/admin/bookings/" + reservation + "/history")
                .then().statusCode(200).body("action", contains("RESERVATION_EXPIRED")).body("accountId", contains(account));
    }

    @Test
    void theTrailCannotBeRewritten() {
        String slot = Api.openSlot(2);
        String account = "audit-rw-" + slot;
        String booking = book(account, null, slot, Api.patient(account)).then().statusCode(201).extract().path("id");

        for (String rewrite : java.util.List.of("UPDATE booking_audit SET reason = 'edited' WHERE booking_id = $1",
                "DELETE FROM booking_audit WHERE booking_id = $1", "TRUNCATE booking_audit")) {
            Exception refused = assertThrows(Exception.class, () -> (rewrite.contains("$1")
                    ? pool.preparedQuery(rewrite).execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(booking)))
                    : pool.query(rewrite).execute()).await().atMost(WAIT), rewrite);
            assertTrue(refused.getMessage().contains("booking_audit is append-only"), rewrite + ": " + refused.getMessage());
        }
        given().auth().oauth2(Api.schedulerToken()).get("/api/v1/admin/bookings/" + booking + "/history")
                .then().statusCode(200).body("action", contains("BOOKED")).body("reason", not(hasItem("edited")));
    }

    @Test
    void historyIsForSchedulersOnly() {
        given().auth().oauth2(Tokens.patient("audit-nosy")).get("/api/v1/admin/bookings/" + UUID.randomUUID() + "/history")
                .then().statusCode(403);
        given().auth().oauth2(Api.schedulerToken()).get("/api/v1/admin/bookings/" + UUID.randomUUID() + "/history")
                .then().statusCode(404).body("type", endsWith("/booking-not-found"));
    }
}
