package io.firstvisit.security;

import io.firstvisit.support.Api;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * OWASP API1 (broken object-level authorization): another account's patient or booking does not exist
 * for the caller. Every intrusion is a 404 with the same problem a random id gets (never a 403, which
 * would confirm the id), and Alice's booking, slot and patient are exactly as before.
 */
@QuarkusTest
class OwnershipTest {

    private static final int CAPACITY = 5;
    private static final String ALICE_KEY = "alice-first-try";

    /** Alice's world: her patient booked into a slot (with an Idempotency-Key); Bob has a patient of his own. */
    record Alice(String account, String patientId, String slotId, String bookingId, String bob, String bobPatientId) {
    }

    /** Bob (or a near-miss of Alice's account) aiming at one of Alice's objects. */
    record Intrusion(String name, Function<Alice, String> intruder, BiFunction<RequestSpecification, Alice, Response> call,
                     String problem) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Alice alice;

    static Stream<Arguments> intrusions() {
        Function<Alice, String> bob = Alice::bob;
        List<Intrusion> intrusions = List.of(
                new Intrusion("Bob reads Alice's patient", bob,
                        (r, a) -> r.get("/api/v1/patients/" + a.patientId()), "patient-not-found"),
                new Intrusion("Bob reads Alice's patient by its upper-case id", bob,
                        (r, a) -> r.get("/api/v1/patients/" + a.patientId().toUpperCase(Locale.ROOT)), "patient-not-found"),
                new Intrusion("Bob books for Alice's patient", bob,
                        (r, a) -> r.contentType(ContentType.JSON).body(Map.of("slotId", a.slotId(), "patientId", a.patientId()))
                                .post("/api/v1/bookings"), "patient-not-found"),
                new Intrusion("Bob books for Alice's patient with Alice's Idempotency-Key", bob,
                        (r, a) -> r.contentType(ContentType.JSON).header("Idempotency-Key", ALICE_KEY)
                                .body(Map.of("slotId", a.slotId(), "patientId", a.patientId())).post("/api/v1/bookings"),
                        "patient-not-found"),
                new Intrusion("Bob lists bookings by Alice's patient", bob,
                        (r, a) -> r.queryParam("patientId", a.patientId()).get("/api/v1/bookings"), "patient-not-found"),
                new Intrusion("Bob reads Alice's booking", bob,
                        (r, a) -> r.get("/api/v1/bookings/" + a.bookingId()), "booking-not-found"),
                new Intrusion("Bob reads Alice's booking by its upper-case id", bob,
                        (r, a) -> r.get("/api/v1/bookings/" + a.bookingId().toUpperCase(Locale.ROOT)), "booking-not-found"),
                new Intrusion("Bob cancels Alice's booking", bob,
                        (r, a) -> r.delete("/api/v1/bookings/" + a.bookingId()), "booking-not-found"),
                new Intrusion("Bob cancels Alice's booking by its upper-case id", bob,
                        (r, a) -> r.delete("/api/v1/bookings/" + a.bookingId().toUpperCase(Locale.ROOT)), "booking-not-found"));
        // Accounts are compared exactly: a sub that differs in case or whitespace is somebody else.
        Map<String, Function<Alice, String>> nearMisses = Map.of(
                "upper-cased", a -> a.account().toUpperCase(Locale.ROOT),
                "with a trailing space", a -> a.account() + " ",
                "with a leading space", a -> " " + a.account());
        Stream<Intrusion> nearMissIntrusions = nearMisses.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .flatMap(sub -> Stream.of(
                        new Intrusion("Alice's sub " + sub.getKey() + " reads her patient", sub.getValue(),
                                (r, a) -> r.get("/api/v1/patients/" + a.patientId()), "patient-not-found"),
                        new Intrusion("Alice's sub " + sub.getKey() + " reads her booking", sub.getValue(),
                                (r, a) -> r.get("/api/v1/bookings/" + a.bookingId()), "booking-not-found"),
                        new Intrusion("Alice's sub " + sub.getKey() + " cancels her booking", sub.getValue(),
                                (r, a) -> r.delete("/api/v1/bookings/" + a.bookingId()), "booking-not-found")));
        return Stream.concat(intrusions.stream(), nearMissIntrusions).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0} -> 404")
    @MethodSource
    void intrusions(Intrusion intrusion) {
        Alice a = alice();
        RequestSpecification request = given().auth().oauth2(Tokens.patient(intrusion.intruder().apply(a)));

        Response response = intrusion.call().apply(request, a);

        Problems.assertProblem(response, 404, intrusion.problem());
        assertAliceUntouched(a);
    }

    @Test
    void bobsListsDoNotShowAlicesObjects() {
        Alice a = alice();
        String bob = Tokens.patient(a.bob());

        given().auth().oauth2(bob).get("/api/v1/patients")
                .then().statusCode(200).body("id", not(hasItem(a.patientId()))).body("id", hasItem(a.bobPatientId()));
        given().auth().oauth2(bob).get("/api/v1/bookings")
                .then().statusCode(200).body("id", not(hasItem(a.bookingId())));
        assertAliceUntouched(a);
    }

    /**
     * Idempotency keys belong to an account: Bob reusing Alice's key books for Bob and gets his own
     * answer, never a replay of Alice's stored 201 (which would hand him her booking).
     */
    @Test
    void anIdempotencyKeyDoesNotCrossAccounts() {
        String aliceAccount = "keys-alice-" + UUID.randomUUID();
        String bobAccount = "keys-bob-" + UUID.randomUUID();
        String slot = Api.openSlot(CAPACITY);
        String alicePatient = Api.patient(aliceAccount);
        String bobPatient = Api.patient(bobAccount);
        String aliceBooking = book(aliceAccount, slot, alicePatient, "shared-key-1").then().statusCode(201).extract().path("id");

        Response bobs = book(bobAccount, slot, bobPatient, "shared-key-1");

        bobs.then().statusCode(201).body("patientId", equalTo(bobPatient));
        assertNotEquals(aliceBooking, bobs.path("id"), "Bob got his own booking, not a replay of Alice's");
        given().auth().oauth2(Tokens.patient(aliceAccount)).get("/api/v1/bookings/" + aliceBooking)
                .then().statusCode(200).body("status", equalTo("CONFIRMED")).body("patientId", equalTo(alicePatient));
        assertEquals(CAPACITY - 2, Api.slotCounts(slot).getInt("remaining"));
        assertEquals(2, Api.slotCounts(slot).getLong("confirmed"));
    }

    private static void assertAliceUntouched(Alice a) {
        String token = Tokens.patient(a.account());
        given().auth().oauth2(token).get("/api/v1/bookings/" + a.bookingId())
                .then().statusCode(200)
                .body("status", equalTo("CONFIRMED"))
                .body("patientId", equalTo(a.patientId()))
                .body("slotId", equalTo(a.slotId()));
        given().auth().oauth2(token).get("/api/v1/patients/" + a.patientId())
                .then().statusCode(200).body("name", equalTo("Child"));
        given().auth().oauth2(token).queryParam("patientId", a.patientId()).get("/api/v1/bookings")
                .then().statusCode(200).body("$", hasSize(1));
        assertEquals(CAPACITY - 1, Api.slotCounts(a.slotId()).getInt("remaining"), "remaining places of Alice's slot");
        assertEquals(1, Api.slotCounts(a.slotId()).getLong("confirmed"), "confirmed bookings of Alice's slot");
    }

    private static Response book(String account, String slotId, String patientId, String key) {
        return given().auth().oauth2(Tokens.patient(account)).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("slotId", slotId, "patientId", patientId)).post("/api/v1/bookings");
    }

    private static synchronized Alice alice() {
        if (alice == null) {
            String account = "alice-" + UUID.randomUUID();
            String bob = "bob-" + UUID.randomUUID();
            String doctor = Api.doctor("BCH", "GROWTH", true);
            String slot = Api.slots(doctor, Api.freshDate(), OffsetDateTime.now(Api.BEIJING).minusMinutes(1), 1, CAPACITY).get(0);
            String patient = Api.patient(account);
            String booking = book(account, slot, patient, ALICE_KEY).then().statusCode(201).extract().path("id");
            alice = new Alice(account, patient, slot, booking, bob, Api.patient(bob));
        }
        return alice;
    }
}
