package io.firstvisit.booking;

import io.firstvisit.inventory.InventoryKeys;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotView;
import io.firstvisit.support.Api;
import io.firstvisit.support.PaymentNotifications;
import io.firstvisit.support.Surge;
import io.firstvisit.support.Surge.Attempt;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.redis.client.RedisAPI;
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
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static io.firstvisit.support.Api.book;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10 §3: a doctor's session stopped by the hospital; nothing stays booked on a cancelled slot. */
@QuarkusTest
class HospitalCancellationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Inject
    RedisAPI redis;

    @Inject
    InventoryKeys keys;

    @Inject
    SlotDirectory slots;

    @Test
    void aCancelledSlotsBookingsAreCancelledByTheHospitalAndItIsNeverBookableAgain() {
        String doctor = Api.doctor("BCH", "DERMATOLOGY", true);
        LocalDate day = Api.freshDate();
        List<String> published = Api.slots(doctor, day, open(), 2, 3, 1800);
        String slot = published.get(0);
        String paidParent = "hcancel-paid-" + slot;
        String paid = book(paidParent, null, slot, Api.patient(paidParent)).then().statusCode(201).extract().path("id");
        PaymentNotifications.pay(paid, "hcancel-" + UUID.randomUUID(), 1800).then().statusCode(200);
        String heldParent = "hcancel-held-" + slot;
        String heldPatient = Api.patient(heldParent);
        String held = book(heldParent, null, slot, heldPatient).then().statusCode(201).extract().path("id");

        JsonPath answer = cancelSlot(slot, "Dr. ill").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(slot), answer.getList("slots.id"));
        assertEquals("Dr. ill", answer.getString("slots[0].reason"));
        assertEquals(Map.of(paid, true, held, false), answer.getList("bookings", Map.class).stream()
                .collect(Collectors.toMap(b -> (String) b.get("id"), b -> (Boolean) b.get("refundDue"))));

        JsonPath paidNow = Api.booking(paid);
        assertEquals("CANCELLED_BY_HOSPITAL", paidNow.getString("status"));
        assertEquals(true, paidNow.getBoolean("refundDue"));
        assertEquals("CANCELLED_BY_HOSPITAL", Api.booking(held).getString("status"));
        assertEquals(List.of("booking.pending_payment", "booking.paid", "booking.cancelled_by_hospital"), events(paid));
        assertEquals(List.of("BOOKED", "PAID", "CANCELLED_BY_HOSPITAL"), given().auth().oauth2(Api.schedulerToken())
                .get("/api/v1/admin/bookings/" + paid + "/history").then().statusCode(200).extract().jsonPath().getList("action"));

        // Availability shows it as such (and the other slot of the session as open) ...
        JsonPath listed = given().queryParam("hospital", "BCH").queryParam("department", "DERMATOLOGY").queryParam("date", day.toString())
                .get("/api/v1/slots").then().statusCode(200).extract().jsonPath();
        assertEquals("CANCELLED", listed.getString("find { it.id == '" + slot + "' }.status"));
        assertEquals(0, listed.getInt("find { it.id == '" + slot + "' }.remaining"));
        assertEquals("OPEN", listed.getString("find { it.id == '" + published.get(1) + "' }.status"));
        // ... it is never bookable again, whoever asks ...
        String late = "hcancel-late-" + slot;
        book(late, null, slot, Api.patient(late)).then().statusCode(409).body("type", endsWith("/slot-cancelled"));
        // ... and the patients it hit may book another slot that day.
        book(heldParent, null, published.get(1), heldPatient).then().statusCode(201);
        // Repeating the cancellation changes nothing and answers the same.
        JsonPath again = cancelSlot(slot, "another reason").then().statusCode(200).extract().jsonPath();
        assertEquals(answer.getList("bookings"), again.getList("bookings"));
        assertEquals("Dr. ill", again.getString("slots[0].reason"));
        assertEquals(0, count("SELECT count(*) FROM booking WHERE slot_id = $1 AND active", slot));
    }

    @Test
    void aCancelledSlotStaysCancelledWhenRedisLosesTheDay() {
        String slot = Api.openSlot(2);
        cancelSlot(slot, "room closed").then().statusCode(200);
        SlotView view = slots.find(UUID.fromString(slot)).await().atMost(WAIT);
        // Redis loses the department-day (I4): the rebuild from PostgreSQL brings the cancellation back.
        redis.del(List.of(keys.warm(view.day()), keys.cancelled(view.day()), keys.capacity(view.day()))).await().atMost(WAIT);

        String parent = "hcancel-cold-" + slot;
        book(parent, null, slot, Api.patient(parent)).then().statusCode(409).body("type", endsWith("/slot-cancelled"));
        assertEquals(0, count("SELECT count(*) FROM booking WHERE slot_id = $1", slot));
    }

    @Test
    void cancelDayRacingASurgeLeavesNothingActiveOnTheCancelledSlots() {
        String doctor = Api.doctor("BCH", "DERMATOLOGY", true);
        LocalDate day = Api.freshDate();
        List<String> session = Api.slots(doctor, day, open(), 4, 10);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            accounts.add("hcancel-surge-" + i + "-" + session.get(0));
        }
        List<String> patients = Api.patients(accounts);
        List<Attempt> crowd = new ArrayList<>();
        for (int i = 0; i < accounts.size(); i++) {
            crowd.add(Attempt.book(Tokens.patient(accounts.get(i)), session.get(i % session.size()), patients.get(i)));
        }

        CompletableFuture<List<Surge.Result>> surge = CompletableFuture.supplyAsync(() -> Surge.fire(crowd));
        JsonPath cancelled = given().auth().oauth2(Api.schedulerToken()).contentType(ContentType.JSON)
                .body(Map.of("date", day.toString(), "reason", "doctor ill")).post("/api/v1/admin/doctors/" + doctor + "/cancel-day")
                .then().statusCode(200).extract().jsonPath();
        List<Surge.Result> answers = surge.join();

        assertEquals(session.stream().sorted().toList(), cancelled.getList("slots.id", String.class).stream().sorted().toList());
        Map<Integer, Long> statuses = answers.stream().collect(Collectors.groupingBy(Surge.Result::status, Collectors.counting()));
        assertTrue(statuses.keySet().stream().allMatch(s -> s == 201 || s == 409), statuses.toString());
        for (String slot : session) {
            assertEquals(0, count("SELECT count(*) FROM booking WHERE slot_id = $1 AND active", slot), "nothing active on " + slot);
        }
        // Every 201 the crowd got is now a booking the hospital cancelled (never a booking left behind).
        for (Surge.Result created : answers.stream().filter(r -> r.status() == 201).toList()) {
            assertEquals("CANCELLED_BY_HOSPITAL", Api.booking(JsonPath.from(created.body()).getString("id")).getString("status"));
        }
        // After the race, the cancellation answers with every booking it cancelled, late committers included.
        JsonPath again = given().auth().oauth2(Api.schedulerToken()).contentType(ContentType.JSON)
                .body(Map.of("date", day.toString(), "reason", "doctor ill")).post("/api/v1/admin/doctors/" + doctor + "/cancel-day")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(statuses.getOrDefault(201, 0L).intValue(), again.getList("bookings").size());
    }

    @Test
    void unknownSlotsDoctorsAndBadRequestsAreRefused() {
        cancelSlot(UUID.randomUUID().toString(), "x").then().statusCode(404).body("type", endsWith("/slot-not-found"));
        given().auth().oauth2(Api.schedulerToken()).contentType(ContentType.JSON)
                .body(Map.of("date", Api.freshDate().toString(), "reason", "x")).post("/api/v1/admin/doctors/" + UUID.randomUUID() + "/cancel-day")
                .then().statusCode(404).body("type", endsWith("/doctor-not-found"));
        String slot = Api.openSlot(1);
        cancelSlot(slot, " ").then().statusCode(400).body("type", endsWith("/invalid-request"));
        given().auth().oauth2(Tokens.patient("hcancel-parent")).contentType(ContentType.JSON).body(Map.of("reason", "mine"))
                .post("/api/v1/admin/slots/" + slot + "/cancel").then().statusCode(403);
        String doctor = Api.doctor("BCH", "GROWTH", true);
        given().auth().oauth2(Api.schedulerToken()).contentType(ContentType.JSON)
                .body(Map.of("date", Api.freshDate().toString(), "reason", "nothing that day")).post("/api/v1/admin/doctors/" + doctor + "/cancel-day")
                .then().statusCode(200).body("slots.size()", equalTo(0));
    }

    private static OffsetDateTime open() {
        return OffsetDateTime.now(Api.BEIJING).minusMinutes(1);
    }

    private static Response cancelSlot(String slot, String reason) {
        return given().auth().oauth2(Api.schedulerToken()).contentType(ContentType.JSON).body(Map.of("reason", reason))
                .post("/api/v1/admin/slots/" + slot + "/cancel");
    }

    private long count(String sql, String slot) {
        return pool.preparedQuery(sql).execute(Tuple.of(UUID.fromString(slot))).await().atMost(WAIT).iterator().next().getLong(0);
    }

    private List<String> events(String booking) {
        List<String> types = new ArrayList<>();
        pool.preparedQuery("SELECT type FROM booking_event WHERE booking_id = $1 ORDER BY id").execute(Tuple.of(UUID.fromString(booking)))
                .await().atMost(WAIT).forEach(row -> types.add(row.getString(0)));
        return types;
    }
}
