package io.firstvisit.support;

import io.firstvisit.testkit.FirstVisitClient;
import io.firstvisit.testkit.FirstVisitClient.NewPatient;
import io.firstvisit.testkit.FirstVisitClient.Publication;
import io.firstvisit.testkit.FirstVisitClient.PublishedSlot;
import io.firstvisit.testkit.FirstVisitClient.SlotSpec;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/**
 * Sets up doctors, slots and patients through the public API, as a scheduler and parents would (the test kit's
 * {@link FirstVisitClient}, against the service under test), and reads and acts on bookings with RestAssured.
 */
public final class Api {

    public static final ZoneOffset BEIJING = FirstVisitClient.BEIJING;
    private static final String SCHEDULER = Tokens.scheduler("scheduler-tests");
    private static final LocalTime FIRST_SLOT = LocalTime.of(8, 0);
    private static final Duration SLOT_LENGTH = Duration.ofMinutes(15);
    private static volatile FirstVisitClient client;

    private Api() {
    }

    /** The kit's client for the service under test (whose port a restart with another test profile may change). */
    private static FirstVisitClient client() {
        String base = RestAssured.baseURI + ":" + RestAssured.port;
        FirstVisitClient current = client;
        if (current == null || !current.baseUrl().equals(base)) {
            current = new FirstVisitClient(base);
            client = current;
        }
        return current;
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
            List<SlotSpec> specs = SlotSpec.series(queueDate(), FIRST_SLOT, SLOT_LENGTH, count, capacity);
            var answer = client().publishOnce(SCHEDULER, Publication.firstCome(doctor, releaseAt, specs).withAdmission(admission), specs);
            if (answer.status() == 201) {
                return JsonPath.from(answer.body());
            }
            if (answer.status() != 409) {
                throw new AssertionError("publishing a QUEUE release answered " + answer.status() + ": " + answer.body());
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
        return client().doctor(SCHEDULER, hospital, department, "Dr. Test " + UUID.randomUUID(), firstVisitQualified);
    }

    /** Publishes {@code count} slots of {@code capacity} on {@code date}, opening at {@code releaseAt}. */
    public static List<String> slots(String doctorId, LocalDate date, OffsetDateTime releaseAt, int count, int capacity) {
        return slots(doctorId, date, releaseAt, count, capacity, 0);
    }

    /** The same with a fee (fen) per slot: bookings on them wait for their payment. */
    public static List<String> slots(String doctorId, LocalDate date, OffsetDateTime releaseAt, int count, int capacity, int fee) {
        List<SlotSpec> specs = SlotSpec.series(date, FIRST_SLOT, SLOT_LENGTH, count, capacity).stream()
                .map(slot -> slot.withFee(fee)).toList();
        return ids(client().publish(SCHEDULER, Publication.firstCome(doctorId, releaseAt, specs)));
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
        SlotSpec slot = new SlotSpec(start, start.plus(SLOT_LENGTH), capacity, fee);
        return ids(client().publish(SCHEDULER, Publication.firstCome(doctor(hospital, department, true),
                OffsetDateTime.now(BEIJING).minusMinutes(1), List.of(slot)))).get(0);
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
        return client().patient(new NewPatient(Tokens.patient(account), "Child", birthDate, "FEMALE"));
    }

    /** One patient on each account, created concurrently; ids in the accounts' order. */
    public static List<String> patients(List<String> accounts) {
        LocalDate birthDate = LocalDate.now(BEIJING).minusYears(5);
        return client().patients(accounts.stream()
                .map(account -> new NewPatient(Tokens.patient(account), "Child", birthDate, "MALE")).toList(), 64);
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

    private static List<String> ids(List<PublishedSlot> slots) {
        return slots.stream().map(PublishedSlot::id).toList();
    }
}
