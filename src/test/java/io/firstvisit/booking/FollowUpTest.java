package io.firstvisit.booking;

import io.firstvisit.inventory.InventoryKeys;
import io.firstvisit.schedule.VisitType;
import io.firstvisit.support.Api;
import io.firstvisit.support.Database;
import io.firstvisit.support.Surge;
import io.firstvisit.support.Surge.Attempt;
import io.firstvisit.support.TestClock;
import io.firstvisit.support.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import static io.firstvisit.support.Api.BEIJING;
import static io.firstvisit.support.Api.book;
import static io.firstvisit.support.Api.visit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10 §5, first visit vs follow-up, through the API against real Redis and PostgreSQL: a FOLLOW_UP slot needs a
 * COMPLETED visit in its hospital and department within the window (180 days before its date), a FIRST slot refuses
 * such a patient, followUpOf names that visit. The rule is read from a cached / Redis visit history on the booking
 * path and checked again by PostgreSQL's INSERT: a lost or stale history is rebuilt from PostgreSQL and never books
 * a patient the rule refuses. {@link VisitRulesTest} covers the rule alone, with first-visit-unseen-only off.
 */
@QuarkusTest
class FollowUpTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int WINDOW = 180;

    @Inject
    RedisAPI redis;

    @Inject
    InventoryKeys keys;

    @Inject
    VisitHistories histories;

    @Inject
    Pool pool;

    @Inject
    TestClock clock;

    @Inject
    MeterRegistry registry;

    @Test
    void aFollowUpIsBookedAfterACompletedVisitAndRecordsTheVisitItFollows() {
        LocalDate seenOn = visitDay(0);
        String account = "follow-up-" + UUID.randomUUID();
        String patient = Api.patient(account);
        String visit = completedVisit(account, patient, "BCH", "NUTRITION", seenOn);
        assertEquals(Long.toString(seenOn.toEpochDay()), seen(patient, "BCH:NUTRITION"),
                "the scheduler's 200 comes once Redis holds the visit, for every instance to read");

        String followUp = slot("BCH", "NUTRITION", VisitType.FOLLOW_UP, seenOn.plusDays(30), 2);
        book(account, null, followUp, patient).then().statusCode(201)
                .body("status", equalTo("CONFIRMED")).body("followUpOf", nullValue());

        String named = slot("BCH", "NUTRITION", VisitType.FOLLOW_UP, seenOn.plusDays(WINDOW), 2);
        String booking = bookNaming(account, named, patient, visit).then().statusCode(201)
                .body("followUpOf", equalTo(visit)).extract().path("id");
        given().auth().oauth2(Tokens.patient(account)).get("/api/v1/bookings/" + booking).then().statusCode(200)
                .body("followUpOf", equalTo(visit));
        assertEquals(visit, Api.booking(booking).getString("followUpOf"));
        assertEquals(visit, JsonPath.from(Database.eventPayload(pool, booking, "booking.confirmed")).getString("followUpOf"),
                "the event carries the visit it follows");
        assertEquals(1, Api.slotCounts(named).getInt("remaining"));
    }

    @Test
    void aFollowUpSlotRefusesAPatientWithoutACompletedVisitThereInTheWindow() {
        LocalDate date = visitDay(WINDOW + 10);
        String followUp = slot("BCH", "NUTRITION", VisitType.FOLLOW_UP, date, 5);
        Map<String, String[]> cases = new HashMap<>(); // what the patient has -> {account, patient}

        cases.put("never seen", newPatient("fu-never"));
        String[] elsewhere = newPatient("fu-other-department");
        completedVisit(elsewhere[0], elsewhere[1], "BCH", "GROWTH", date.minusDays(30));
        cases.put("seen in another department of the hospital", elsewhere);
        String[] otherHospital = newPatient("fu-other-hospital");
        completedVisit(otherHospital[0], otherHospital[1], "CCMC", "NUTRITION", date.minusDays(30));
        cases.put("seen in the same department of another hospital", otherHospital);
        String[] tooLong = newPatient("fu-too-long-ago");
        completedVisit(tooLong[0], tooLong[1], "BCH", "NUTRITION", date.minusDays(WINDOW + 1));
        cases.put("seen 181 days before the slot's date", tooLong);

        cases.forEach((what, who) -> refused(book(who[0], null, followUp, who[1]), VisitRules.NO_PRIOR_VISIT, what));
        assertEquals(5, Api.slotCounts(followUp).getInt("remaining"), "no refusal took a seat");

        String[] onTheEdge = newPatient("fu-edge");
        completedVisit(onTheEdge[0], onTheEdge[1], "BCH", "NUTRITION", date.minusDays(WINDOW));
        book(onTheEdge[0], null, followUp, onTheEdge[1]).then().statusCode(201);
        assertEquals(4, Api.slotCounts(followUp).getInt("remaining"));
    }

    @Test
    void aVisitThatWasMissedCancelledOrNotFinishedIsNoPriorVisit() {
        String[] who = newPatient("fu-not-completed");
        String account = who[0];
        String patient = who[1];
        OffsetDateTime start = VisitOutcomeTest.soon();
        String missed = VisitOutcomeTest.booked(account, Api.slotStartingAt("BCH", "NUTRITION", start, 1, 0), patient);
        clock.moveTo(start.plusMinutes(1));
        try {
            visit(missed, "no-show").then().statusCode(200).body("status", equalTo("NO_SHOW"));
        } finally {
            clock.reset();
        }
        LocalDate today = LocalDate.now(BEIJING);
        String cancelled = book(account, null, slot("BCH", "NUTRITION", VisitType.FIRST, today.plusDays(3), 1), patient)
                .then().statusCode(201).extract().path("id");
        Api.cancel(account, cancelled);
        String checkedIn = book(account, null, slot("BCH", "NUTRITION", VisitType.FIRST, today.plusDays(5), 1), patient)
                .then().statusCode(201).extract().path("id");
        visit(checkedIn, "check-in").then().statusCode(200);

        String followUp = slot("BCH", "NUTRITION", VisitType.FOLLOW_UP, today.plusDays(40), 2);
        refused(book(account, null, followUp, patient), VisitRules.NO_PRIOR_VISIT, "NO_SHOW, CANCELLED and CHECKED_IN only");
        for (String notAVisit : List.of(missed, cancelled, checkedIn)) {
            refused(bookNaming(account, followUp, patient, notAVisit), VisitRules.FOLLOW_UP_OF_NOT_COMPLETED, "followUpOf " + notAVisit);
        }
        assertEquals(2, Api.slotCounts(followUp).getInt("remaining"));
    }

    @Test
    void followUpOfMustBeACompletedVisitOfThePatientInTheSlotsDepartmentWithinTheWindow() {
        LocalDate date = visitDay(WINDOW + 20);
        String account = "fu-named-" + UUID.randomUUID();
        String patient = Api.patient(account);
        String sibling = Api.patient(account);
        String[] stranger = newPatient("fu-named-stranger");
        // Two visits of the patient in DERMATOLOGY 160 days apart: the second one is a follow-up of the first.
        String oldVisit = completedVisit(account, patient, "BCH", "DERMATOLOGY", date.minusDays(WINDOW + 10));
        String visit = completedVisit(account, patient, "BCH", "DERMATOLOGY", VisitType.FOLLOW_UP, date.minusDays(30));
        String siblingsVisit = completedVisit(account, sibling, "BCH", "DERMATOLOGY", date.minusDays(30));
        String strangersVisit = completedVisit(stranger[0], stranger[1], "BCH", "DERMATOLOGY", date.minusDays(30));
        String otherDepartment = completedVisit(account, patient, "BCH", "GROWTH", date.minusDays(20));
        String followUp = slot("BCH", "DERMATOLOGY", VisitType.FOLLOW_UP, date, 3);
        String first = slot("BCH", "NUTRITION", VisitType.FIRST, date, 3);

        refused(bookNaming(account, followUp, patient, siblingsVisit), VisitRules.FOLLOW_UP_OF_UNKNOWN, "a sibling's visit");
        refused(bookNaming(account, followUp, patient, strangersVisit), VisitRules.FOLLOW_UP_OF_UNKNOWN, "another family's visit");
        refused(bookNaming(account, followUp, patient, UUID.randomUUID().toString()), VisitRules.FOLLOW_UP_OF_UNKNOWN, "no such booking");
        refused(bookNaming(account, followUp, patient, otherDepartment), VisitRules.FOLLOW_UP_OF_OTHER_DEPARTMENT, "a GROWTH visit");
        refused(bookNaming(account, followUp, patient, oldVisit), VisitRules.FOLLOW_UP_OF_OUTSIDE_WINDOW, "a visit 190 days before");
        refused(bookNaming(account, first, patient, visit), VisitRules.FOLLOW_UP_OF_ON_FIRST_SLOT, "a FIRST slot");
        bookNaming(account, followUp, patient, "not-a-booking-id").then().statusCode(400)
                .body("type", endsWith("/invalid-request")).body("errors.field", hasItem("followUpOf"));
        assertEquals(3, Api.slotCounts(followUp).getInt("remaining"), "no refusal took a seat");
        assertEquals(3, Api.slotCounts(first).getInt("remaining"));

        String key = "follow-up-" + UUID.randomUUID();
        String booking = bookNaming(account, followUp, patient, visit, key).then().statusCode(201)
                .body("followUpOf", equalTo(visit)).extract().path("id");
        bookNaming(account, followUp, patient, visit, key).then().statusCode(201).body("id", equalTo(booking));
        book(account, key, followUp, patient).then().statusCode(422).body("type", endsWith("/idempotency-key-reused"));
        assertEquals(2, Api.slotCounts(followUp).getInt("remaining"));
    }

    @Test
    void aFirstSlotRefusesAPatientAlreadySeenInItsDepartmentWithinTheWindow() {
        LocalDate seenOn = visitDay(0);
        String[] who = newPatient("first-seen");
        completedVisit(who[0], who[1], "BCH", "GROWTH", seenOn);

        String again = slot("BCH", "GROWTH", VisitType.FIRST, seenOn.plusDays(30), 2);
        refused(book(who[0], null, again, who[1]), VisitRules.ALREADY_SEEN, "seen 30 days before");
        assertEquals(2, Api.slotCounts(again).getInt("remaining"));

        book(who[0], null, slot("CCMC", "GROWTH", VisitType.FIRST, seenOn.plusDays(30), 2), who[1]).then().statusCode(201);
        book(who[0], null, slot("BCH", "NUTRITION", VisitType.FIRST, seenOn.plusDays(35), 2), who[1]).then().statusCode(201);
        book(who[0], null, slot("BCH", "GROWTH", VisitType.FIRST, seenOn.plusDays(WINDOW + 1), 2), who[1]).then().statusCode(201);
        book(who[0], null, slot("BCH", "GROWTH", VisitType.FOLLOW_UP, seenOn.plusDays(60), 2), who[1]).then().statusCode(201);
    }

    @Test
    void aLostVisitHistoryIsRebuiltFromPostgresAndTheRuleStillHolds() {
        LocalDate seenOn = visitDay(0);
        String[] who = newPatient("history-lost");
        UUID patient = UUID.fromString(who[1]);
        completedVisit(who[0], who[1], "BCH", "DERMATOLOGY", seenOn);
        String first = slot("BCH", "DERMATOLOGY", VisitType.FIRST, seenOn.plusDays(30), 3);
        double missedBefore = drift("missed");

        loseHistory(patient);
        refused(book(who[0], null, first, who[1]), VisitRules.ALREADY_SEEN, "Redis lost the history: PostgreSQL's INSERT refuses");
        assertEquals(3, Api.slotCounts(first).getInt("remaining"), "the seat taken on the lost history went back");
        assertEquals(0, bookings(first), "nothing was written for it");
        assertEquals(Long.toString(seenOn.toEpochDay()), seen(who[1], "BCH:DERMATOLOGY"), "rebuilt from PostgreSQL into Redis");
        assertEquals(missedBefore + 1, drift("missed"));

        histories.forget(patient).await().atMost(WAIT);
        refused(book(who[0], null, first, who[1]), VisitRules.ALREADY_SEEN, "refused from the rebuilt history");
        assertEquals(3, Api.slotCounts(first).getInt("remaining"));
        assertEquals(missedBefore + 1, drift("missed"), "this time before a seat was taken");

        loseHistory(patient);
        book(who[0], null, slot("BCH", "DERMATOLOGY", VisitType.FOLLOW_UP, seenOn.plusDays(60), 2), who[1]).then().statusCode(201);
        assertEquals(Long.toString(seenOn.toEpochDay()), seen(who[1], "BCH:DERMATOLOGY"), "a follow-up's check rebuilt it too");
        assertEquals(missedBefore + 2, drift("missed"));
    }

    @Test
    void postgresRefusesARowAdmittedOnAStaleHistoryAndTheSeatGoesBack() {
        LocalDate seenOn = visitDay(0);
        String[] seenPatient = newPatient("history-stale-seen");
        completedVisit(seenPatient[0], seenPatient[1], "CCMC", "NUTRITION", seenOn);
        // Redis and this instance say "last seen long ago": the FIRST slot's check lets the patient through.
        stale(seenPatient[1], "CCMC:NUTRITION", seenOn.minusDays(400));
        String first = slot("CCMC", "NUTRITION", VisitType.FIRST, seenOn.plusDays(30), 2);
        double missedBefore = drift("missed");

        refused(book(seenPatient[0], null, first, seenPatient[1]), VisitRules.ALREADY_SEEN, "admitted on a stale history");
        assertEquals(2, Api.slotCounts(first).getInt("remaining"), "the seat went back");
        assertEquals(0, bookings(first));
        assertEquals(Long.toString(seenOn.toEpochDay()), seen(seenPatient[1], "CCMC:NUTRITION"), "Redis now says what PostgreSQL says");
        assertEquals(missedBefore + 1, drift("missed"));

        // The other way round: Redis claims a visit PostgreSQL does not have (say, the database restored from a backup).
        String[] neverSeen = newPatient("history-stale-phantom");
        stale(neverSeen[1], "CCMC:NUTRITION", seenOn);
        String followUp = slot("CCMC", "NUTRITION", VisitType.FOLLOW_UP, seenOn.plusDays(30), 2);
        double phantomBefore = drift("phantom");

        refused(book(neverSeen[0], null, followUp, neverSeen[1]), VisitRules.NO_PRIOR_VISIT, "admitted on a visit PostgreSQL does not have");
        assertEquals(2, Api.slotCounts(followUp).getInt("remaining"), "the seat went back");
        assertEquals(0, bookings(followUp));
        assertEquals(0, redis.exists(List.of(keys.seen(UUID.fromString(neverSeen[1])))).await().atMost(WAIT).toInteger(),
                "the visit PostgreSQL does not have is gone from Redis");
        assertEquals(phantomBefore + 1, drift("phantom"));
        refused(book(neverSeen[0], null, followUp, neverSeen[1]), VisitRules.NO_PRIOR_VISIT, "and refused again, before any seat");
        assertEquals(2, Api.slotCounts(followUp).getInt("remaining"));
        assertEquals(phantomBefore + 1, drift("phantom"));
    }

    /**
     * 120 attempts at once on a FIRST and a FOLLOW_UP slot of one department-day: 30 seen patients on each, 30 never-seen
     * patients on each. Ten of the seen patients' histories are lost from Redis and five never-seen patients carry a visit
     * PostgreSQL does not have, so PostgreSQL's INSERT has to refuse them mid-surge and give their seats back.
     * <p>
     * Those five show the one answer a stale history changes: admitted on it, a patient who finds no seat left is told
     * sold-out (reserve.lua answers before PostgreSQL is asked); with a seat, 422. Either way nothing is booked.
     */
    @Test
    void aCrowdOfSeenAndNeverSeenPatientsGetsExactlyWhatTheRuleAllowsAndNoSlotIsOversold() {
        LocalDate seenOn = visitDay(0);
        LocalDate releaseDay = seenOn.plusDays(30);
        int perGroup = 30;
        List<String> seenAccounts = accounts("crowd-seen", 2 * perGroup);
        List<String> seenPatients = Api.patients(seenAccounts);
        completeAll(seenAccounts, seenPatients, "CCMC", "DERMATOLOGY", seenOn);
        List<String> newAccounts = accounts("crowd-new", 2 * perGroup);
        List<String> newPatients = Api.patients(newAccounts);

        int firstCapacity = 45;   // room for every eligible attempt and the seats the stale ones hold for a moment
        int followUpCapacity = 20; // fewer places than eligible patients
        String first = slot("CCMC", "DERMATOLOGY", VisitType.FIRST, releaseDay, firstCapacity);
        String followUp = slot("CCMC", "DERMATOLOGY", VisitType.FOLLOW_UP, releaseDay, followUpCapacity);

        // seen 0..29 -> FOLLOW_UP (eligible); seen 30..59 -> FIRST (already seen; 30..39 with their history lost)
        // new 0..29 -> FIRST (eligible); new 30..59 -> FOLLOW_UP (no prior visit; 30..34 with a phantom visit in Redis)
        List<Attempt> attempts = new ArrayList<>();
        Map<Attempt, String> expected = new HashMap<>();
        for (int i = 0; i < 2 * perGroup; i++) {
            Attempt seenOne = Attempt.book(Tokens.patient(seenAccounts.get(i)), i < perGroup ? followUp : first, seenPatients.get(i));
            expected.put(seenOne, i < perGroup ? "eligible-follow-up" : VisitRules.ALREADY_SEEN);
            Attempt newOne = Attempt.book(Tokens.patient(newAccounts.get(i)), i < perGroup ? first : followUp, newPatients.get(i));
            expected.put(newOne, i < perGroup ? "eligible-first" : i < perGroup + 5 ? "phantom" : VisitRules.NO_PRIOR_VISIT);
            attempts.add(seenOne);
            attempts.add(newOne);
        }
        for (int i = perGroup; i < perGroup + 10; i++) {
            loseHistory(UUID.fromString(seenPatients.get(i)));
        }
        for (int i = perGroup; i < perGroup + 5; i++) {
            stale(newPatients.get(i), "CCMC:DERMATOLOGY", seenOn);
        }
        assertTrue(attempts.size() >= 100);
        double missedBefore = drift("missed");
        double phantomBefore = drift("phantom");

        List<Surge.Result> results = Surge.fire(attempts);

        Map<String, Map<String, Integer>> answers = new HashMap<>(); // group -> answer -> count
        for (Surge.Result result : results) {
            String answer = result.status() + " " + (result.status() == 201 ? "" : JsonPath.from(result.body()).getString("type")
                    .replace("https://firstvisit.dev/problems/", "") + " " + JsonPath.from(result.body()).getString("reason"));
            answers.computeIfAbsent(expected.get(result.attempt()), g -> new HashMap<>()).merge(answer.strip(), 1, Integer::sum);
        }
        assertEquals(Map.of("422 not-eligible already-seen", perGroup), answers.get(VisitRules.ALREADY_SEEN), answers.toString());
        assertEquals(Map.of("422 not-eligible no-prior-visit", perGroup - 5), answers.get(VisitRules.NO_PRIOR_VISIT), answers.toString());
        Map<String, Integer> phantoms = answers.get("phantom");
        assertEquals(5, phantoms.getOrDefault("422 not-eligible no-prior-visit", 0) + phantoms.getOrDefault("409 sold-out null", 0),
                answers.toString());
        assertEquals(Map.of("201", perGroup), answers.get("eligible-first"), "room for every eligible first visit: " + answers);
        Map<String, Integer> followUps = answers.get("eligible-follow-up");
        int followUpsBooked = followUps.getOrDefault("201", 0);
        assertEquals(perGroup, followUpsBooked + followUps.getOrDefault("409 sold-out null", 0), "booked or sold out: " + answers);
        // A phantom holds a seat until PostgreSQL refuses its row; an eligible patient arriving then is told sold-out.
        assertTrue(followUpsBooked >= followUpCapacity - 5 && followUpsBooked <= followUpCapacity, answers.toString());

        assertEquals(perGroup, Database.activeBookings(pool, first));
        assertEquals(perGroup, Database.distinctActiveSeats(pool, first));
        assertEquals(firstCapacity - perGroup, Api.slotCounts(first).getInt("remaining"), "every stale seat went back");
        assertEquals(followUpsBooked, Database.activeBookings(pool, followUp));
        assertEquals(followUpsBooked, Database.distinctActiveSeats(pool, followUp));
        assertEquals(followUpCapacity - followUpsBooked, Api.slotCounts(followUp).getInt("remaining"));

        assertEquals(missedBefore + 10, drift("missed"), "PostgreSQL's INSERT refused each of the ten lost histories");
        assertEquals(phantomBefore + phantoms.getOrDefault("422 not-eligible no-prior-visit", 0), drift("phantom"));
        for (int i = perGroup; i < perGroup + 10; i++) {
            assertEquals(Long.toString(seenOn.toEpochDay()), seen(seenPatients.get(i), "CCMC:DERMATOLOGY"), "lost history rebuilt");
        }
        for (Surge.Result result : results) {
            if ("phantom".equals(expected.get(result.attempt())) && result.status() == 422) {
                assertNull(seen(JsonPath.from(result.attempt().body()).getString("patientId"), "CCMC:DERMATOLOGY"),
                        "the phantom visit PostgreSQL refused is dropped from Redis");
            }
        }
    }

    // --- set-up -----------------------------------------------------------------------------------------------------

    /** A date {@code atLeast} days ahead (plus up to 300), so that dates before it by the window are still ahead. */
    private static LocalDate visitDay(int atLeast) {
        return LocalDate.now(BEIJING).plusDays(20 + atLeast + ThreadLocalRandom.current().nextInt(300));
    }

    /** One slot of a new doctor at 09:00 on {@code date}, open for booking since a minute ago. */
    private static String slot(String hospital, String department, VisitType type, LocalDate date, int capacity) {
        OffsetDateTime start = date.atTime(9, 0).atOffset(BEIJING);
        return given().auth().oauth2(Api.schedulerToken()).contentType(ContentType.JSON)
                .body(Map.of("doctorId", Api.doctor(hospital, department, true), "visitType", type.name(),
                        "releaseAt", OffsetDateTime.now(BEIJING).minusMinutes(1).toString(),
                        "slots", List.of(Map.of("start", start.toString(), "end", start.plusMinutes(15).toString(), "capacity", capacity))))
                .post("/api/v1/admin/slots")
                .then().statusCode(201).extract().path("slots[0].id");
    }

    /** A visit booked on a FIRST slot on {@code date}, checked in and completed by the scheduler: its booking id. */
    private static String completedVisit(String account, String patient, String hospital, String department, LocalDate date) {
        return completedVisit(account, patient, hospital, department, VisitType.FIRST, date);
    }

    private static String completedVisit(String account, String patient, String hospital, String department, VisitType type,
                                         LocalDate date) {
        String booking = book(account, null, slot(hospital, department, type, date, 1), patient)
                .then().statusCode(201).extract().path("id");
        visit(booking, "check-in").then().statusCode(200);
        visit(booking, "complete").then().statusCode(200).body("status", equalTo("COMPLETED"));
        return booking;
    }

    /** Each patient books the same FIRST slot and has the visit completed, all at once. */
    private static void completeAll(List<String> accounts, List<String> patients, String hospital, String department, LocalDate date) {
        String slot = slot(hospital, department, VisitType.FIRST, date, patients.size());
        List<Surge.Result> booked = Surge.fire(IntStream.range(0, patients.size())
                .mapToObj(i -> Attempt.book(Tokens.patient(accounts.get(i)), slot, patients.get(i))).toList());
        List<String> ids = booked.stream().map(result -> {
            assertEquals(201, result.status(), result.body());
            return JsonPath.from(result.body()).getString("id");
        }).toList();
        for (String outcome : List.of("check-in", "complete")) {
            Surge.fire(ids.stream().map(id -> new Attempt(Api.schedulerToken(), "POST", "/api/v1/admin/bookings/" + id + "/" + outcome,
                    null, Map.of())).toList()).forEach(result -> assertEquals(200, result.status(), result.body()));
        }
    }

    private static String[] newPatient(String prefix) {
        String account = prefix + "-" + UUID.randomUUID();
        return new String[] {account, Api.patient(account)};
    }

    private static List<String> accounts(String prefix, int count) {
        String run = UUID.randomUUID().toString();
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i + "-" + run).toList();
    }

    private static Response bookNaming(String account, String slot, String patient, String followUpOf) {
        return bookNaming(account, slot, patient, followUpOf, null);
    }

    private static Response bookNaming(String account, String slot, String patient, String followUpOf, String key) {
        var request = given().auth().oauth2(Tokens.patient(account)).contentType(ContentType.JSON)
                .body(Map.of("slotId", slot, "patientId", patient, "followUpOf", followUpOf));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/api/v1/bookings");
    }

    private static void refused(Response answer, String reason, String what) {
        try {
            answer.then().statusCode(422)
                    .contentType(startsWith("application/problem+json"))
                    .body("type", endsWith("/not-eligible"))
                    .body("reason", equalTo(reason));
        } catch (AssertionError e) {
            throw new AssertionError(what + ": " + e.getMessage() + "\n" + answer.asString(), e);
        }
    }

    // --- Redis, PostgreSQL and metrics, read and bent directly ----------------------------------------------------------

    /** The patient's history field in Redis, or null. */
    private String seen(String patient, String field) {
        var value = redis.hget(keys.seen(UUID.fromString(patient)), field).await().atMost(WAIT);
        return value == null ? null : value.toString();
    }

    /** Redis lost the patient's history, and this instance's copy is gone too. */
    private void loseHistory(UUID patient) {
        redis.del(List.of(keys.seen(patient))).await().atMost(WAIT);
        histories.forget(patient).await().atMost(WAIT);
    }

    /** Redis says the patient's last visit in {@code field} was on {@code day}, whatever PostgreSQL says. */
    private void stale(String patient, String field, LocalDate day) {
        UUID id = UUID.fromString(patient);
        redis.del(List.of(keys.seen(id))).await().atMost(WAIT);
        redis.hset(List.of(keys.seen(id), field, Long.toString(day.toEpochDay()))).await().atMost(WAIT);
        histories.forget(id).await().atMost(WAIT);
    }

    private long bookings(String slot) {
        return pool.preparedQuery("SELECT count(*) FROM booking WHERE slot_id = $1").execute(Tuple.of(UUID.fromString(slot)))
                .map(rows -> rows.iterator().next().getLong(0)).await().atMost(WAIT);
    }

    private double drift(String kind) {
        return registry.get("firstvisit.visit.history.drift").tag("kind", kind).counter().count();
    }
}
