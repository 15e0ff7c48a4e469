package io.firstvisit.support;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/** Sets up doctors, slots and patients through the public API, as a scheduler and parents would. */
public final class Api {

    public static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    private static final String SCHEDULER = Tokens.scheduler("scheduler-tests");

    private Api() {
    }

    /** A date nobody else in this test run uses, so department-day rules do not cross tests. */
    public static LocalDate freshDate() {
        return LocalDate.now(BEIJING).plusDays(30 + ThreadLocalRandom.current().nextInt(600));
    }

    /**
     * A date for a QUEUE release: beyond freshDate()'s range, so no other test publishes a first-come slot into a
     * waiting-room day (it would inherit the day's QUEUE admission).
     */
    public static LocalDate queueDate() {
        return LocalDate.now(BEIJING).plusDays(640 + ThreadLocalRandom.current().nextInt(85));
    }

    /**
     * Publishes {@code count} slots of {@code capacity} (fee 0) with a QUEUE admission on a fresh queue date of the
     * hospital's department; picks another date if that one already has a release. Returns the publication's JSON.
     */
    public static JsonPath queuedRelease(String hospital, String department, OffsetDateTime releaseAt, int count, int capacity,
                                         Map<String, Object> admission) {
        String doctor = doctor(hospital, department, true);
        for (int attempt = 0; attempt < 20; attempt++) {
            LocalDate date = queueDate();
            List<Map<String, Object>> specs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                OffsetDateTime start = date.atTime(8, 0).atOffset(BEIJING).plusMinutes(15L * i);
                specs.add(Map.of("start", start.toString(), "end", start.plusMinutes(15).toString(), "capacity", capacity));
            }
            var response = given().auth().oauth2(SCHEDULER).contentType(ContentType.JSON)
                    .body(Map.of("doctorId", doctor, "visitType", "FIRST", "releaseAt", releaseAt.toString(), "slots", specs,
                            "admission", admission))
                    .post("/api/v1/admin/slots");
            if (response.statusCode() == 201) {
                return response.jsonPath();
            }
            if (response.statusCode() != 409) {
                throw new AssertionError("publishing a QUEUE release answered " + response.statusCode() + ": " + response.asString());
            }
        }
        throw new AssertionError("no free queue date found");
    }

    /** POST /api/v1/queue/tickets as {@code account}. */
    public static io.restassured.response.Response takeTicket(String account, String hospital, String department, LocalDate date) {
        return given().auth().oauth2(Tokens.patient(account)).contentType(ContentType.JSON)
                .body(Map.of("hospital", hospital, "department", department, "date", date.toString()))
                .post("/api/v1/queue/tickets");
    }

    /** GET /api/v1/queue/tickets/{id} as {@code account}. */
    public static io.restassured.response.Response ticket(String account, String ticketId) {
        return given().auth().oauth2(Tokens.patient(account)).get("/api/v1/queue/tickets/" + ticketId);
    }

    public static String doctor(String hospital, String department, boolean firstVisitQualified) {
        return given().auth().oauth2(SCHEDULER).contentType(ContentType.JSON)
                .body(Map.of("hospital", hospital, "department", department, "name", "Dr. Test " + UUID.randomUUID(),
                        "title", "Attending", "firstVisitQualified", firstVisitQualified))
                .post("/api/v1/admin/doctors")
                .then().statusCode(201).extract().path("id");
    }

    /** Publishes {@code count} slots of {@code capacity} on {@code date}, opening at {@code releaseAt}. */
    public static List<String> slots(String doctorId, LocalDate date, OffsetDateTime releaseAt, int count, int capacity) {
        return slots(doctorId, date, releaseAt, count, capacity, 0);
    }

    /** The same with a fee (fen) per slot: bookings on them wait for their payment. */
    public static List<String> slots(String doctorId, LocalDate date, OffsetDateTime releaseAt, int count, int capacity, int fee) {
        List<Map<String, Object>> specs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OffsetDateTime start = date.atTime(8, 0).atOffset(BEIJING).plusMinutes(15L * i);
            specs.add(Map.of("start", start.toString(), "end", start.plusMinutes(15).toString(), "capacity", capacity, "fee", fee));
        }
        return given().auth().oauth2(SCHEDULER).contentType(ContentType.JSON)
                .body(Map.of("doctorId", doctorId, "visitType", "FIRST", "releaseAt", releaseAt.toString(), "slots", specs))
                .post("/api/v1/admin/slots")
                .then().statusCode(201).extract().jsonPath().getList("slots.id", String.class);
    }

    /** One open slot in DERMATOLOGY at BCH on a fresh date. */
    public static String openSlot(int capacity) {
        return slots(doctor("BCH", "DERMATOLOGY", true), freshDate(), OffsetDateTime.now(BEIJING).minusMinutes(1), 1, capacity).get(0);
    }

    /** One open paid slot (fee in fen) in DERMATOLOGY at BCH on a fresh date. */
    public static String openPaidSlot(int capacity, int fee) {
        return slots(doctor("BCH", "DERMATOLOGY", true), freshDate(), OffsetDateTime.now(BEIJING).minusMinutes(1), 1, capacity, fee).get(0);
    }

    /**
     * One slot of a new doctor starting at {@code start} (15 minutes long), open for booking since a minute ago:
     * a slot that starts soon, so that a test can move the service's clock ({@link TestClock}) past its start.
     */
    public static String slotStartingAt(String hospital, String department, OffsetDateTime start, int capacity, int fee) {
        Map<String, Object> spec = Map.of("start", start.toString(), "end", start.plusMinutes(15).toString(), "capacity", capacity, "fee", fee);
        return given().auth().oauth2(SCHEDULER).contentType(ContentType.JSON)
                .body(Map.of("doctorId", doctor(hospital, department, true), "visitType", "FIRST",
                        "releaseAt", OffsetDateTime.now(BEIJING).minusMinutes(1).toString(), "slots", List.of(spec)))
                .post("/api/v1/admin/slots")
                .then().statusCode(201).extract().path("slots[0].id");
    }

    /** POST /api/v1/admin/bookings/{id}/{check-in|complete|no-show}, as a scheduler reading English problems. */
    public static io.restassured.response.Response visit(String bookingId, String outcome) {
        return given().auth().oauth2(SCHEDULER).header("Accept-Language", "en").post("/api/v1/admin/bookings/" + bookingId + "/" + outcome);
    }

    /** GET /api/v1/admin/bookings/{id}, as a scheduler. */
    public static JsonPath booking(String bookingId) {
        return given().auth().oauth2(SCHEDULER).get("/api/v1/admin/bookings/" + bookingId).then().statusCode(200).extract().jsonPath();
    }

    public static String patient(String account) {
        return patient(account, LocalDate.now(BEIJING).minusYears(5));
    }

    public static String patient(String account, LocalDate birthDate) {
        return given().auth().oauth2(Tokens.patient(account)).contentType(ContentType.JSON)
                .body(Map.of("name", "Child", "birthDate", birthDate.toString(), "sex", "FEMALE"))
                .post("/api/v1/patients")
                .then().statusCode(201).extract().path("id");
    }

    /** One patient on each account, created concurrently; ids in the accounts' order. */
    public static List<String> patients(List<String> accounts) {
        String body = "{\"name\":\"Child\",\"birthDate\":\"" + LocalDate.now(BEIJING).minusYears(5) + "\",\"sex\":\"MALE\"}";
        List<Surge.Attempt> creates = accounts.stream()
                .map(account -> new Surge.Attempt(Tokens.patient(account), "POST", "/api/v1/patients", body, Map.of()))
                .toList();
        return Surge.fire(creates).stream().map(result -> {
            if (result.status() != 201) {
                throw new AssertionError("creating a patient answered " + result.status() + ": " + result.body());
            }
            return JsonPath.from(result.body()).getString("id");
        }).toList();
    }

    public static JsonPath slotCounts(String slotId) {
        return given().auth().oauth2(SCHEDULER).get("/api/v1/admin/slots/" + slotId)
                .then().statusCode(200).extract().jsonPath();
    }

    /** POST /api/v1/bookings as {@code account}, with an Idempotency-Key when {@code key} is not null. */
    public static io.restassured.response.Response book(String account, String key, String slot, String patient) {
        var request = given().auth().oauth2(Tokens.patient(account)).contentType(ContentType.JSON)
                .body(Map.of("slotId", slot, "patientId", patient));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/api/v1/bookings");
    }

    /** DELETE /api/v1/bookings/{id} as {@code account}; the booking must exist and be cancellable. */
    public static void cancel(String account, String bookingId) {
        given().auth().oauth2(Tokens.patient(account)).delete("/api/v1/bookings/" + bookingId).then().statusCode(200);
    }

    public static String schedulerToken() {
        return SCHEDULER;
    }
}
