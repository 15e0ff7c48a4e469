package io.firstvisit.payment;

import io.firstvisit.booking.HoldExpirer;
import io.firstvisit.common.Signature;
import io.firstvisit.support.Api;
import io.firstvisit.support.Database;
import io.firstvisit.support.PaymentNotifications;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.firstvisit.support.Api.book;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10 §1: hold → pay → confirm, expiry, and the signed payment notification. */
@QuarkusTest
class PaymentTest {

    private static final int FEE = 5000;

    @Inject
    HoldExpirer expirer;

    @Inject
    Pool pool;

    @Test
    void aPaidSlotsBookingHoldsItsSeatUntilPaidThenIsConfirmed() {
        String slot = Api.openPaidSlot(2, FEE);
        String account = "pay-ok-" + slot;
        String patient = Api.patient(account);
        Instant before = Instant.now();

        JsonPath held = book(account, null, slot, patient).then().statusCode(201)
                .body("status", equalTo("PENDING_PAYMENT")).body("fee", equalTo(FEE)).extract().jsonPath();
        String booking = held.getString("id");
        Instant holdEnds = OffsetDateTime.parse(held.getString("holdExpiresAt")).toInstant();
        assertTrue(!holdEnds.isBefore(before.plus(Duration.ofMinutes(15)).minusSeconds(1))
                && !holdEnds.isAfter(Instant.now().plus(Duration.ofMinutes(15))), "held for the 15 min payment window: " + holdEnds);
        assertEquals(1, Api.slotCounts(slot).getInt("remaining"), "a held seat is taken");
        // The one-per-patient rule counts the hold.
        book(account, null, slot, patient).then().statusCode(409).body("type", endsWith("/already-booked"));

        String paymentId = "pay-" + UUID.randomUUID();
        PaymentNotifications.pay(booking, paymentId, FEE).then().statusCode(200)
                .body("bookingId", equalTo(booking)).body("status", equalTo("CONFIRMED")).body("paymentId", equalTo(paymentId));
        Api.booking(booking);
        given().auth().oauth2(io.firstvisit.support.Tokens.patient(account)).get("/api/v1/bookings/" + booking).then().statusCode(200)
                .body("status", equalTo("CONFIRMED")).body("paidAt", notNullValue()).body("holdExpiresAt", nullValue());

        // The same notification again: the same answer, nothing changes.
        PaymentNotifications.pay(booking, paymentId, FEE).then().statusCode(200).body("status", equalTo("CONFIRMED"));
        assertEquals(1, count("SELECT count(*) FROM payment WHERE payment_id = $1", paymentId));
        assertEquals(List.of("booking.pending_payment", "booking.paid"), events(booking));

        // A paid place that is expired later stays paid: the sweep only touches unpaid holds.
        expirer.expireDue(Instant.now().plus(Duration.ofHours(1))).await().atMost(Duration.ofSeconds(10));
        assertEquals("CONFIRMED", Api.booking(booking).getString("status"));

        // Cancelling a paid booking says a refund is due.
        given().auth().oauth2(io.firstvisit.support.Tokens.patient(account)).delete("/api/v1/bookings/" + booking)
                .then().statusCode(200).body("status", equalTo("CANCELLED")).body("refundDue", equalTo(true));
        assertEquals(List.of("booking.pending_payment", "booking.paid", "booking.cancelled"), events(booking));
    }

    @Test
    void anUnpaidHoldExpiresItsSeatComesBackAndALatePaymentIsRefused() {
        String slot = Api.openPaidSlot(1, FEE);
        String account = "pay-late-" + slot;
        String booking = book(account, null, slot, Api.patient(account)).then().statusCode(201).extract().path("id");
        String other = "pay-next-" + slot;
        book(other, null, slot, Api.patient(other)).then().statusCode(409).body("type", endsWith("/sold-out"));

        int expired = expirer.expireDue(Instant.now().plus(Duration.ofMinutes(16))).await().atMost(Duration.ofSeconds(10));
        assertTrue(expired >= 1);
        assertEquals("EXPIRED", Api.booking(booking).getString("status"));
        assertEquals(1, Api.slotCounts(slot).getInt("remaining"), "the expired hold's seat is back");
        // Every instance forgot its sold-out mark: the next parent gets the place.
        book(other, null, slot, Api.patient(other)).then().statusCode(201).body("status", equalTo("PENDING_PAYMENT"));

        String paymentId = "late-" + UUID.randomUUID();
        PaymentNotifications.pay(booking, paymentId, FEE).then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("/hold-expired")).body("refundDue", equalTo(true));
        PaymentNotifications.pay(booking, paymentId, FEE).then().statusCode(409).body("type", endsWith("/hold-expired"));
        assertEquals("EXPIRED", Api.booking(booking).getString("status"));
        assertEquals(List.of("booking.pending_payment", "booking.expired", "payment.refused"), events(booking));
        assertEquals(1, count("SELECT count(*) FROM payment WHERE payment_id = $1 AND outcome = 'REFUSED'", paymentId));
    }

    @Test
    void forgedStaleUnsignedAndMismatchedNotificationsChangeNothing() {
        String slot = Api.openPaidSlot(1, FEE);
        String account = "pay-bad-" + slot;
        String booking = book(account, null, slot, Api.patient(account)).then().statusCode(201).extract().path("id");
        String body = PaymentNotifications.body(booking, "forged-" + UUID.randomUUID(), FEE);
        long now = Instant.now().getEpochSecond();

        PaymentNotifications.send(body, now, new Signature("another-secret-that-is-long-enough-to-pass"))
                .then().statusCode(401).contentType("application/problem+json").body("type", endsWith("/invalid-signature"));
        // Outside the 300 s tolerance by 30 s each way: a loaded machine can take seconds between reading the clock and the
        // service checking the timestamp, so a margin of 1 s would let a future timestamp drift back into the window.
        PaymentNotifications.send(body, Instant.now().getEpochSecond() - 330, PaymentNotifications.devSignature()).then().statusCode(401);
        PaymentNotifications.send(body, Instant.now().getEpochSecond() + 330, PaymentNotifications.devSignature()).then().statusCode(401);
        given().contentType("application/json").body(body).post(PaymentNotifications.PATH).then().statusCode(401);
        // A signature of another body (the amount changed in transit).
        given().contentType("application/json").headers(PaymentNotifications.headers(body))
                .body(PaymentNotifications.body(booking, "tampered", 1)).post(PaymentNotifications.PATH).then().statusCode(401);

        PaymentNotifications.pay(booking, "short-" + UUID.randomUUID(), FEE - 1).then().statusCode(422)
                .body("type", endsWith("/amount-mismatch")).body("expected", equalTo(FEE));
        PaymentNotifications.pay(UUID.randomUUID().toString(), "nobody-" + UUID.randomUUID(), FEE).then().statusCode(404)
                .body("type", endsWith("/booking-not-found"));
        PaymentNotifications.send("{\"bookingId\":\"" + booking + "\",\"amount\":\"x\"}", now, PaymentNotifications.devSignature())
                .then().statusCode(400).contentType("application/problem+json");
        PaymentNotifications.send("{\"bookingId\":\"" + booking + "\"}", now, PaymentNotifications.devSignature())
                .then().statusCode(400).body("type", endsWith("/invalid-request"));

        assertEquals("PENDING_PAYMENT", Api.booking(booking).getString("status"));
        assertEquals(0, count("SELECT count(*) FROM payment WHERE booking_id = $1::uuid", booking));
        // A paymentId already decided for another booking is not reused for this one.
        String paid = "pay-other-" + slot;
        String otherSlot = Api.openPaidSlot(1, FEE);
        String otherBooking = book(paid, null, otherSlot, Api.patient(paid)).then().statusCode(201).extract().path("id");
        String paymentId = "once-" + UUID.randomUUID();
        PaymentNotifications.pay(otherBooking, paymentId, FEE).then().statusCode(200);
        PaymentNotifications.pay(booking, paymentId, FEE).then().statusCode(422).body("type", endsWith("/payment-id-reused"));
        assertEquals("PENDING_PAYMENT", Api.booking(booking).getString("status"));
    }

    @Test
    void aFreeSlotIsConfirmedAtOnce() {
        String slot = Api.openSlot(1);
        String account = "pay-free-" + slot;
        book(account, null, slot, Api.patient(account)).then().statusCode(201)
                .body("status", equalTo("CONFIRMED")).body("fee", equalTo(0)).body("holdExpiresAt", nullValue());
        assertEquals(1, Database.activeBookings(pool, slot));
    }

    private long count(String sql, String argument) {
        return pool.preparedQuery(sql).execute(Tuple.of(argument)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private List<String> events(String booking) {
        List<String> types = new ArrayList<>();
        pool.preparedQuery("SELECT type FROM booking_event WHERE booking_id = $1 ORDER BY id").execute(Tuple.of(UUID.fromString(booking)))
                .await().atMost(Duration.ofSeconds(10)).forEach(row -> types.add(row.getString(0)));
        return types;
    }
}
