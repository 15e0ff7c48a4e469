package io.firstvisit.booking;

import io.firstvisit.support.Api;
import io.firstvisit.support.Database;
import io.firstvisit.support.PaymentNotifications;
import io.firstvisit.support.Surge;
import io.firstvisit.support.Surge.Attempt;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.firstvisit.support.Api.book;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10 §2: a booking moves atomically, keeps what the parent has, and races resolve to one move. */
@QuarkusTest
class RescheduleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Test
    void aBookingMovesToAnotherDayAndTheOldSeatComesBack() {
        String doctor = Api.doctor("BCH", "DERMATOLOGY", true);
        String from = Api.slots(doctor, Api.freshDate(), open(), 1, 2).get(0);
        String to = Api.slots(doctor, Api.freshDate(), open(), 1, 2).get(0);
        String parent = "move-day-" + from;
        String booking = book(parent, null, from, Api.patient(parent)).then().statusCode(201).extract().path("id");

        JsonPath moved = reschedule(parent, booking, to, null).then().statusCode(200)
                .body("status", equalTo("CONFIRMED")).body("slotId", equalTo(to)).body("rescheduledFrom", equalTo(booking))
                .extract().jsonPath();
        String movedId = moved.getString("id");

        JsonPath old = Api.booking(booking);
        assertEquals("RESCHEDULED", old.getString("status"));
        assertEquals(movedId, old.getString("rescheduledTo"));
        assertEquals(2, Api.slotCounts(from).getInt("remaining"), "the old seat is back");
        assertEquals(1, Api.slotCounts(to).getInt("remaining"));
        assertEquals(0, Database.activeBookings(pool, from));
        assertEquals(1, Database.activeBookings(pool, to));
        assertEquals(List.of("booking.confirmed", "booking.rescheduled"), events(booking));
        assertEquals(List.of("booking.confirmed"), events(movedId));
        // The history route reads every audit action the move wrote.
        assertEquals(List.of("BOOKED", "RESCHEDULED"), given().auth().oauth2(Api.schedulerToken())
                .get("/api/v1/admin/bookings/" + booking + "/history").then().statusCode(200).extract().jsonPath().getList("action"));
        // The moved booking is the parent's booking like any other.
        given().auth().oauth2(Tokens.patient(parent)).delete("/api/v1/bookings/" + movedId).then().statusCode(200)
                .body("status", equalTo("CANCELLED"));
        assertEquals(2, Api.slotCounts(to).getInt("remaining"));
    }

    @Test
    void aMoveWithinTheSameDayKeepsThePatientsOnePlaceThatDay() {
        String doctor = Api.doctor("BCH", "DERMATOLOGY", true);
        LocalDate day = Api.freshDate();
        List<String> slots = Api.slots(doctor, day, open(), 2, 1);
        String parent = "move-same-" + slots.get(0);
        String patient = Api.patient(parent);
        String booking = book(parent, null, slots.get(0), patient).then().statusCode(201).extract().path("id");

        String movedId = reschedule(parent, booking, slots.get(1), null).then().statusCode(200).extract().path("id");

        assertEquals(1, Api.slotCounts(slots.get(0)).getInt("remaining"));
        assertEquals(0, Api.slotCounts(slots.get(1)).getInt("remaining"));
        // The patient still has their one place that day: booking the freed slot again is refused ...
        book(parent, null, slots.get(0), patient).then().statusCode(409).body("type", endsWith("/already-booked"));
        // ... until the moved booking is cancelled.
        given().auth().oauth2(Tokens.patient(parent)).delete("/api/v1/bookings/" + movedId).then().statusCode(200);
        book(parent, null, slots.get(0), patient).then().statusCode(201);
    }

    @Test
    void aHeldBookingMovesWithItsHoldAndThePaymentForTheOldIdPaysTheNewOne() {
        String doctor = Api.doctor("BCH", "DERMATOLOGY", true);
        String from = Api.slots(doctor, Api.freshDate(), open(), 1, 1, 4200).get(0);
        String to = Api.slots(doctor, Api.freshDate(), open(), 1, 1, 4200).get(0);
        String parent = "move-held-" + from;
        JsonPath held = book(parent, null, from, Api.patient(parent)).then().statusCode(201).extract().jsonPath();
        String booking = held.getString("id");

        String movedId = reschedule(parent, booking, to, null).then().statusCode(200)
                .body("status", equalTo("PENDING_PAYMENT")).body("fee", equalTo(4200))
                .body("holdExpiresAt", equalTo(held.getString("holdExpiresAt"))).extract().path("id");

        PaymentNotifications.pay(booking, "moved-" + UUID.randomUUID(), 4200).then().statusCode(200)
                .body("bookingId", equalTo(booking)).body("status", equalTo("CONFIRMED"));
        assertEquals("CONFIRMED", Api.booking(movedId).getString("status"));
        assertEquals("RESCHEDULED", Api.booking(booking).getString("status"));
    }

    @Test
    void aRefusedMoveLeavesTheBookingUntouched() {
        String doctor = Api.doctor("BCH", "DERMATOLOGY", true);
        String from = Api.slots(doctor, Api.freshDate(), open(), 1, 1).get(0);
        String full = Api.slots(doctor, Api.freshDate(), open(), 1, 1).get(0);
        String other = "move-taker-" + full;
        book(other, null, full, Api.patient(other)).then().statusCode(201);
        String parent = "move-refused-" + from;
        String booking = book(parent, null, from, Api.patient(parent)).then().statusCode(201).extract().path("id");

        reschedule(parent, booking, full, null).then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/sold-out"));
        String paid = Api.slots(doctor, Api.freshDate(), open(), 1, 1, 100).get(0);
        reschedule(parent, booking, paid, null).then().statusCode(422).body("type", endsWith("/invalid-target")).body("reason", equalTo("other-fee"));
        String growth = Api.slots(Api.doctor("BCH", "GROWTH", true), Api.freshDate(), open(), 1, 1).get(0);
        reschedule(parent, booking, growth, null).then().statusCode(422).body("type", endsWith("/invalid-target"))
                .body("reason", equalTo("other-department"));
        reschedule(parent, booking, from, null).then().statusCode(422).body("type", endsWith("/invalid-target")).body("reason", equalTo("same-slot"));
        reschedule("someone-else", booking, full, null).then().statusCode(404);
        reschedule(parent, booking, UUID.randomUUID().toString(), null).then().statusCode(404).body("type", endsWith("/slot-not-found"));

        assertEquals("CONFIRMED", Api.booking(booking).getString("status"));
        assertEquals(0, Api.slotCounts(from).getInt("remaining"));
        assertEquals(0, Api.slotCounts(full).getInt("remaining"));
        assertEquals(1, Api.slotCounts(paid).getInt("remaining"));
    }

    @Test
    void noMoveWithinTheChangeCutoff() {
        String doctor = Api.doctor("BCH", "DERMATOLOGY", true);
        OffsetDateTime soon = OffsetDateTime.now(Api.BEIJING).plusMinutes(90).withSecond(0).withNano(0);
        String from = given().auth().oauth2(Api.schedulerToken()).contentType(ContentType.JSON)
                .body(Map.of("doctorId", doctor, "visitType", "FIRST", "releaseAt", open().toString(),
                        "slots", List.of(Map.of("start", soon.toString(), "end", soon.plusMinutes(15).toString(), "capacity", 1))))
                .post("/api/v1/admin/slots").then().statusCode(201).extract().path("slots[0].id");
        String to = Api.slots(doctor, Api.freshDate(), open(), 1, 1).get(0);
        String parent = "move-late-" + from;
        String booking = book(parent, null, from, Api.patient(parent)).then().statusCode(201).extract().path("id");

        reschedule(parent, booking, to, null).then().statusCode(409).body("type", endsWith("/change-closed"));
        assertEquals("CONFIRMED", Api.booking(booking).getString("status"));
    }

    @Test
    void theSameKeyReplaysTheMoveAndTwoMovesOfOneBookingRacingEachOtherMakeOne() {
        String doctor = Api.doctor("BCH", "DERMATOLOGY", true);
        String from = Api.slots(doctor, Api.freshDate(), open(), 1, 1).get(0);
        List<String> targets = Api.slots(doctor, Api.freshDate(), open(), 4, 5);
        String parent = "move-race-" + from;
        String patient = Api.patient(parent);
        String booking = book(parent, null, from, patient).then().statusCode(201).extract().path("id");

        List<Attempt> moves = new ArrayList<>();
        // 8 at once: within the account's burst (10), so every one of them really races.
        for (int i = 0; i < 8; i++) {
            moves.add(new Attempt(Tokens.patient(parent), "POST", "/api/v1/bookings/" + booking + "/reschedule",
                    "{\"slotId\":\"" + targets.get(i % targets.size()) + "\"}", Map.of()));
        }
        Map<Integer, Long> answers = Surge.fire(moves).stream().collect(Collectors.groupingBy(Surge.Result::status, Collectors.counting()));

        assertEquals(1L, answers.get(200), "one move wins: " + answers);
        assertEquals(7L, answers.get(409), "the others are refused: " + answers);
        assertEquals(1, activeBookingsOf(patient), "never more than one booking holding a place");
        int remaining = targets.stream().mapToInt(t -> Api.slotCounts(t).getInt("remaining")).sum();
        assertEquals(4 * 5 - 1, remaining, "the losers' seats went back");
        assertEquals(1, Api.slotCounts(from).getInt("remaining"));

        String key = UUID.randomUUID().toString();
        String movedId = given().auth().oauth2(Tokens.patient(parent)).get("/api/v1/bookings").then().statusCode(200).extract().jsonPath()
                .getString("find { it.status == 'CONFIRMED' }.id");
        String again = reschedule(parent, movedId, from, key).then().statusCode(200).extract().path("id");
        reschedule(parent, movedId, from, key).then().statusCode(200).body("id", equalTo(again));
        assertEquals(1, activeBookingsOf(patient));
        assertEquals(0, Api.slotCounts(from).getInt("remaining"));
    }

    @Test
    void ahundredMovesIntoASlotWithTenPlacesMoveExactlyTen() {
        String doctor = Api.doctor("BCH", "DERMATOLOGY", true);
        List<String> sources = Api.slots(doctor, Api.freshDate(), open(), 2, 50);
        String target = Api.slots(doctor, Api.freshDate(), open(), 1, 10).get(0);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            accounts.add("move-hundred-" + i + "-" + target);
        }
        List<String> patients = Api.patients(accounts);
        List<Attempt> bookings = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            bookings.add(Attempt.book(Tokens.patient(accounts.get(i)), sources.get(i % 2), patients.get(i)));
        }
        List<String> ids = Surge.fire(bookings).stream().map(r -> {
            assertEquals(201, r.status(), r.body());
            return JsonPath.from(r.body()).getString("id");
        }).toList();

        List<Attempt> moves = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            moves.add(new Attempt(Tokens.patient(accounts.get(i)), "POST", "/api/v1/bookings/" + ids.get(i) + "/reschedule",
                    "{\"slotId\":\"" + target + "\"}", Map.of()));
        }
        Map<Integer, Long> answers = Surge.fire(moves).stream().collect(Collectors.groupingBy(Surge.Result::status, Collectors.counting()));

        assertEquals(Map.of(200, 10L, 409, 90L), answers);
        assertEquals(10, Database.activeBookings(pool, target));
        assertEquals(10, Database.distinctActiveSeats(pool, target));
        assertEquals(0, Api.slotCounts(target).getInt("remaining"));
        assertEquals(90, Database.activeBookings(pool, sources.get(0)) + Database.activeBookings(pool, sources.get(1)));
        assertEquals(10, Api.slotCounts(sources.get(0)).getInt("remaining") + Api.slotCounts(sources.get(1)).getInt("remaining"),
                "exactly the moved bookings' seats came back");
    }

    private static OffsetDateTime open() {
        return OffsetDateTime.now(Api.BEIJING).minusMinutes(1);
    }

    private static Response reschedule(String account, String booking, String slot, String key) {
        var request = given().auth().oauth2(Tokens.patient(account)).contentType(ContentType.JSON).body(Map.of("slotId", slot));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/api/v1/bookings/" + booking + "/reschedule");
    }

    private long activeBookingsOf(String patient) {
        return pool.preparedQuery("SELECT count(*) FROM booking WHERE patient_id = $1 AND active").execute(Tuple.of(UUID.fromString(patient)))
                .await().atMost(WAIT).iterator().next().getLong(0);
    }

    private List<String> events(String booking) {
        List<String> types = new ArrayList<>();
        pool.preparedQuery("SELECT type FROM booking_event WHERE booking_id = $1 ORDER BY id").execute(Tuple.of(UUID.fromString(booking)))
                .await().atMost(WAIT).forEach(row -> types.add(row.getString(0)));
        return types;
    }
}
