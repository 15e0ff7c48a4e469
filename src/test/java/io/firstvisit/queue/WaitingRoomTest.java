package io.firstvisit.queue;

import io.firstvisit.support.Api;
import io.firstvisit.support.Surge;
import io.firstvisit.support.Surge.Attempt;
import io.firstvisit.support.TestClock;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The waiting room (issue 11 §1): a QUEUE release's admission, tickets, positions, admission by the clock, and I13,
 * the gate: on a QUEUE release only an account's ADMITTED ticket books (WaitingRoom.checkPass).
 */
@QuarkusTest
class WaitingRoomTest {

    private static final String HOSPITAL = "CCMC";
    private static final String DEPARTMENT = "GROWTH";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @Inject
    RedisAPI redis;

    @Inject
    WaitingRoom room;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static OffsetDateTime releaseInAnHour() {
        return OffsetDateTime.now(Api.BEIJING).plusHours(1).truncatedTo(ChronoUnit.SECONDS);
    }

    private static LocalDate dateOf(JsonPath publication) {
        return OffsetDateTime.parse(publication.getString("slots[0].start")).toLocalDate();
    }

    @Test
    void theFirstPublicationFixesTheDaysAdmissionAndAvailabilityShowsIt() {
        OffsetDateTime release = releaseInAnHour();
        JsonPath published = Api.queuedRelease(HOSPITAL, DEPARTMENT, release, 2, 5, Map.of("mode", "QUEUE", "admitPerSecond", 50));
        assertEquals("QUEUE", published.getString("slots[0].admission.mode"));
        assertEquals(30, published.getInt("slots[0].admission.preQueueMinutes"), "default pre-queue");
        assertEquals(50, published.getInt("slots[0].admission.admitPerSecond"));
        assertEquals(10, published.getInt("slots[0].admission.passMinutes"), "default pass");
        assertEquals(release.minusMinutes(30).toInstant(), OffsetDateTime.parse(published.getString("slots[0].queueOpensAt")).toInstant());
        LocalDate date = dateOf(published);

        List<Map<String, Object>> listed = given().queryParam("hospital", HOSPITAL).queryParam("department", DEPARTMENT)
                .queryParam("date", date.toString()).get("/api/v1/slots").then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(2, listed.size());
        listed.forEach(slot -> assertEquals("QUEUE", ((Map<?, ?>) slot.get("admission")).get("mode")));

        String other = Api.doctor(HOSPITAL, DEPARTMENT, true);
        OffsetDateTime start = date.atTime(14, 0).atOffset(Api.BEIJING);
        Map<String, Object> slot = Map.of("start", start.toString(), "end", start.plusMinutes(15).toString(), "capacity", 3);
        assertEquals("QUEUE", publish(other, release, slot, null).then().statusCode(201).extract().path("slots[0].admission.mode"),
                "a publication without admission joins the day's");
        Map<String, Object> later = Map.of("start", start.plusHours(1).toString(), "end", start.plusHours(1).plusMinutes(15).toString(),
                "capacity", 3);
        publish(other, release, later, Map.of("mode", "FIRST_COME")).then().statusCode(409)
                .contentType("application/problem+json").body("type", org.hamcrest.Matchers.endsWith("/admission-conflict"));
        publish(other, release, later, Map.of("mode", "QUEUE", "admitPerSecond", 60)).then().statusCode(409);
        publish(other, release.plusMinutes(5), later, null).then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("one release instant"));
        publish(other, release, later, Map.of("mode", "FIRST_COME", "admitPerSecond", 60)).then().statusCode(400)
                .contentType("application/problem+json");
        publish(other, release, later, Map.of("mode", "QUEUE", "passMinutes", 0)).then().statusCode(400);
    }

    private static Response publish(String doctor, OffsetDateTime release, Map<String, Object> slot, Map<String, Object> admission) {
        Map<String, Object> body = new HashMap<>(Map.of("doctorId", doctor, "visitType", "FIRST", "releaseAt", release.toString(),
                "slots", List.of(slot)));
        if (admission != null) {
            body.put("admission", admission);
        }
        return given().auth().oauth2(Api.schedulerToken()).header("Accept-Language", "en").contentType(ContentType.JSON).body(body)
                .post("/api/v1/admin/slots");
    }

    @Test
    void ticketsOpenWithThePreQueueAndEachAccountHasOne() {
        OffsetDateTime release = releaseInAnHour();
        LocalDate date = dateOf(Api.queuedRelease(HOSPITAL, DEPARTMENT, release, 1, 5, Map.of("mode", "QUEUE")));
        String account = "queue-one-" + UUID.randomUUID();

        clock.moveTo(release.minusMinutes(31));
        Response early = Api.takeTicket(account, HOSPITAL, DEPARTMENT, date);
        early.then().statusCode(409).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("/queue-not-open")).header("Retry-After", org.hamcrest.Matchers.notNullValue());

        clock.moveTo(release.minusMinutes(10));
        Response taken = Api.takeTicket(account, HOSPITAL, DEPARTMENT, date);
        taken.then().statusCode(201).header("Location", org.hamcrest.Matchers.endsWith(taken.jsonPath().getString("id")))
                .header("Retry-After", "30");
        JsonPath ticket = taken.jsonPath();
        assertEquals("WAITING", ticket.getString("state"));
        assertNull(ticket.get("position"), "no position before the draw");
        assertNull(ticket.get("estimatedAdmitAt"));
        assertEquals(release.toInstant(), OffsetDateTime.parse(ticket.getString("releaseAt")).toInstant());

        assertEquals(ticket.getString("id"), Api.takeTicket(account, HOSPITAL, DEPARTMENT, date).then().statusCode(201)
                .extract().path("id"), "asking again returns the same ticket");
        // Twenty at once: the account's rate limit refuses some (429); every other answer is the same ticket.
        List<Surge.Result> again = Surge.fire(IntStream.range(0, 20).mapToObj(i -> takeAttempt(account, date)).toList());
        assertTrue(again.stream().anyMatch(r -> r.status() == 201));
        again.stream().filter(r -> r.status() != 429)
                .forEach(r -> assertEquals(ticket.getString("id"), JsonPath.from(r.body()).getString("id"), r.body()));
        String otherAccount = "queue-two-" + UUID.randomUUID();
        assertNotEquals(ticket.getString("id"), Api.takeTicket(otherAccount, HOSPITAL, DEPARTMENT, date).path("id"));
        assertEquals(2L, count("SELECT count(*) FROM queue_ticket WHERE account_id IN ($1, $2)", account, otherAccount));

        Api.ticket(account, ticket.getString("id")).then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("WAITING"));
        Api.ticket(otherAccount, ticket.getString("id")).then().statusCode(404).contentType("application/problem+json");
        Api.ticket(account, "not-a-ticket").then().statusCode(404);
        Api.ticket(account, ticket.getString("id").replace(HOSPITAL + ".", "BCH.")).then().statusCode(404);

        LocalDate firstComeDate = Api.freshDate();
        Api.slots(Api.doctor("BCH", "NUTRITION", true), firstComeDate, OffsetDateTime.now(Api.BEIJING).minusMinutes(1), 1, 2);
        Api.takeTicket(account, "BCH", "NUTRITION", firstComeDate).then().statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("/queue-not-used"));
    }

    private static Attempt takeAttempt(String account, LocalDate date) {
        return new Attempt(Tokens.patient(account), "POST", "/api/v1/queue/tickets",
                "{\"hospital\":\"" + HOSPITAL + "\",\"department\":\"" + DEPARTMENT + "\",\"date\":\"" + date + "\"}", Map.of());
    }

    /** I13: without an ADMITTED ticket of its own account, nothing books a QUEUE release's slot. */
    @Test
    void noBypassWithoutAnAdmittedTicketOfTheSameAccount() {
        OffsetDateTime release = releaseInAnHour();
        JsonPath published = Api.queuedRelease(HOSPITAL, DEPARTMENT, release, 1, 10,
                Map.of("mode", "QUEUE", "admitPerSecond", 1, "passMinutes", 1));
        LocalDate date = dateOf(published);
        String slot = published.getString("slots[0].id");
        List<String> accounts = IntStream.range(0, 3).mapToObj(i -> "queue-gate-" + i + "-" + UUID.randomUUID()).toList();
        List<String> patients = Api.patients(accounts);
        clock.moveTo(release.minusMinutes(5));
        List<String> tickets = accounts.stream().map(a -> Api.takeTicket(a, HOSPITAL, DEPARTMENT, date).then().statusCode(201)
                .extract().<String>path("id")).toList();

        clock.moveTo(release.plusNanos(100_000_000));
        Map<Integer, Integer> byPosition = new HashMap<>(); // position -> index of its account
        for (int i = 0; i < 3; i++) {
            JsonPath seen = Api.ticket(accounts.get(i), tickets.get(i)).then().statusCode(200).extract().jsonPath();
            byPosition.put(seen.getInt("position"), i);
        }
        assertEquals(java.util.Set.of(1, 2, 3), byPosition.keySet(), "positions 1..3 after the draw");
        int first = byPosition.get(1), second = byPosition.get(2);
        JsonPath admitted = Api.ticket(accounts.get(first), tickets.get(first)).jsonPath();
        assertEquals("ADMITTED", admitted.getString("state"));
        assertEquals(release.plusMinutes(1).toInstant(), OffsetDateTime.parse(admitted.getString("admittedUntil")).toInstant());
        clock.moveTo(release.plusNanos(100_000_000));
        JsonPath waiting = Api.ticket(accounts.get(second), tickets.get(second)).jsonPath();
        assertEquals("WAITING", waiting.getString("state"));
        assertEquals(1, waiting.getInt("ahead"));
        assertEquals(release.plusSeconds(1).toInstant(), OffsetDateTime.parse(waiting.getString("estimatedAdmitAt")).toInstant());

        // The service's clock is set right before each request that depends on it: positions are 1 s apart.
        List<Response> refused = new ArrayList<>();
        clock.moveTo(release.plusNanos(200_000_000));
        refused.add(book(accounts.get(second), slot, patients.get(second), null));                 // no ticket
        refused.add(book(accounts.get(second), slot, patients.get(second), tickets.get(first)));   // another account's
        clock.moveTo(release.plusNanos(200_000_000));
        refused.add(book(accounts.get(second), slot, patients.get(second), tickets.get(second)));  // still WAITING
        refused.add(book(accounts.get(second), slot, patients.get(second), "garbage"));
        clock.moveTo(release.plusSeconds(60).plusNanos(200_000_000));
        assertEquals("EXPIRED", Api.ticket(accounts.get(first), tickets.get(first)).path("state"));
        clock.moveTo(release.plusSeconds(60).plusNanos(200_000_000));
        refused.add(book(accounts.get(first), slot, patients.get(first), tickets.get(first)));     // expired
        for (Response r : refused) {
            r.then().statusCode(403).contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.endsWith("/queue-required"))
                    .body("queue", org.hamcrest.Matchers.equalTo("/api/v1/queue/tickets"))
                    .body("date", org.hamcrest.Matchers.equalTo(date.toString()));
        }
        assertEquals(0L, count("SELECT count(*) FROM booking WHERE slot_id = $1", UUID.fromString(slot)), "no booking was made");

        clock.moveTo(release.plusSeconds(30));
        assertEquals("ADMITTED", Api.ticket(accounts.get(second), tickets.get(second)).path("state"));
        book(accounts.get(second), slot, patients.get(second), tickets.get(second)).then().statusCode(201);
        assertEquals(1L, count("SELECT count(*) FROM booking WHERE slot_id = $1", UUID.fromString(slot)));

        clock.moveTo(release.plusSeconds(61));
        JsonPath requeued = Api.takeTicket(accounts.get(first), HOSPITAL, DEPARTMENT, date).then().statusCode(201).extract().jsonPath();
        assertNotEquals(tickets.get(first), requeued.getString("id"), "an expired ticket is replaced by a new one");
        assertEquals(4, requeued.getInt("position"), "at the back of the line");
        assertEquals("EXPIRED", Api.ticket(accounts.get(first), tickets.get(first)).path("state"), "the old one keeps its place");
    }

    /** I13 through a reschedule: moving a booking of another day into a QUEUE release is a booking there. */
    @Test
    void reschedulingIntoAQueuedReleaseNeedsAnAdmittedTicketToo() {
        OffsetDateTime release = releaseInAnHour();
        JsonPath published = Api.queuedRelease(HOSPITAL, DEPARTMENT, release, 1, 5, Map.of("mode", "QUEUE", "admitPerSecond", 1000));
        LocalDate date = dateOf(published);
        String queued = published.getString("slots[0].id");
        String account = "queue-move-" + UUID.randomUUID();
        String patient = Api.patient(account);
        String elsewhere = Api.slots(Api.doctor(HOSPITAL, DEPARTMENT, true), Api.freshDate(), OffsetDateTime.now(Api.BEIJING).minusMinutes(1), 1, 2)
                .get(0);
        String booking = Api.book(account, null, elsewhere, patient).then().statusCode(201).extract().path("id");
        clock.moveTo(release.minusMinutes(1));
        String ticket = Api.takeTicket(account, HOSPITAL, DEPARTMENT, date).then().statusCode(201).extract().path("id");
        clock.moveTo(release.plusSeconds(1));

        given().auth().oauth2(Tokens.patient(account)).contentType(ContentType.JSON).body(Map.of("slotId", queued))
                .post("/api/v1/bookings/" + booking + "/reschedule")
                .then().statusCode(403).body("type", org.hamcrest.Matchers.endsWith("/queue-required"));
        assertEquals("CONFIRMED", Api.booking(booking).getString("status"), "the old booking is untouched");
        given().auth().oauth2(Tokens.patient(account)).contentType(ContentType.JSON).body(Map.of("slotId", queued))
                .header("Admission-Ticket", ticket).post("/api/v1/bookings/" + booking + "/reschedule")
                .then().statusCode(200).body("slotId", org.hamcrest.Matchers.equalTo(queued));
    }

    private static Response book(String account, String slot, String patient, String ticket) {
        var request = given().auth().oauth2(Tokens.patient(account)).contentType(ContentType.JSON)
                .body(Map.of("slotId", slot, "patientId", patient));
        if (ticket != null) {
            request.header("Admission-Ticket", ticket);
        }
        return request.post("/api/v1/bookings");
    }

    @Test
    void afterTheReleaseTicketsJoinTheBackInArrivalOrderAtTheAdmissionRate() {
        OffsetDateTime release = releaseInAnHour();
        LocalDate date = dateOf(Api.queuedRelease(HOSPITAL, DEPARTMENT, release, 1, 5, Map.of("mode", "QUEUE", "admitPerSecond", 1)));
        clock.moveTo(release.minusMinutes(1));
        for (int i = 0; i < 5; i++) {
            Api.takeTicket("queue-early-" + i + "-" + UUID.randomUUID(), HOSPITAL, DEPARTMENT, date).then().statusCode(201);
        }
        clock.moveTo(release.plusNanos(100_000_000));
        List<String> late = IntStream.range(0, 40).mapToObj(i -> "queue-late-" + i + "-" + UUID.randomUUID()).toList();
        List<Surge.Result> joined = Surge.fire(late.stream().map(a -> takeAttempt(a, date)).toList());
        List<JsonPath> tickets = joined.stream().map(r -> {
            assertEquals(201, r.status(), r.body());
            return JsonPath.from(r.body());
        }).sorted(java.util.Comparator.comparingInt(t -> t.getInt("position"))).toList();
        assertEquals(IntStream.rangeClosed(6, 45).boxed().toList(), tickets.stream().map(t -> t.getInt("position")).toList(),
                "the back of the line, behind the 5 drawn tickets, without gaps or repeats");
        for (int i = 0; i < tickets.size(); i++) {
            // The 5 drawn tickets take the first 5 admissions (1 s apart); the back follows at the same rate.
            assertEquals(release.plusSeconds(5L + i).toInstant(),
                    OffsetDateTime.parse(tickets.get(i).getString("estimatedAdmitAt")).toInstant(), "position " + (6 + i));
        }
        assertEquals(40L, count("SELECT count(*) FROM queue_ticket t JOIN release_admission r USING (department_id, visit_date) "
                + "WHERE t.visit_date = $1 AND t.joined IS NOT NULL AND r.mode = 'QUEUE'", date), "PostgreSQL recorded each placement");
    }

    @Test
    void waitingTicketsAreToldWhenEverySlotIsTaken() {
        OffsetDateTime release = releaseInAnHour();
        JsonPath published = Api.queuedRelease(HOSPITAL, DEPARTMENT, release, 1, 1, Map.of("mode", "QUEUE", "admitPerSecond", 1));
        LocalDate date = dateOf(published);
        List<String> accounts = IntStream.range(0, 3).mapToObj(i -> "queue-sold-" + i + "-" + UUID.randomUUID()).toList();
        List<String> patients = Api.patients(accounts);
        clock.moveTo(release.minusMinutes(1));
        List<String> tickets = accounts.stream().map(a -> Api.takeTicket(a, HOSPITAL, DEPARTMENT, date).<String>path("id")).toList();
        clock.moveTo(release.plusNanos(200_000_000));
        int first = IntStream.range(0, 3).filter(i -> Api.ticket(accounts.get(i), tickets.get(i)).jsonPath().getInt("position") == 1)
                .findFirst().orElseThrow();
        book(accounts.get(first), published.getString("slots[0].id"), patients.get(first), tickets.get(first)).then().statusCode(201);
        int waiting = (first + 1) % 3;
        // Availability is cached per instance for 500 ms (real time): look until the booking shows, within a bound.
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonPath seen;
        do {
            clock.moveTo(release.plusNanos(200_000_000)); // the waiting ticket's turn (1 s after the release) has not come
            seen = Api.ticket(accounts.get(waiting), tickets.get(waiting)).then().statusCode(200).extract().jsonPath();
        } while (!"SOLD_OUT".equals(seen.getString("state")) && System.nanoTime() < deadline);
        assertEquals("SOLD_OUT", seen.getString("state"));
        assertEquals("/api/v1/waitlist", seen.getString("waitlist"));
    }

    /** I4 for the line: Redis loses it; it comes back from PostgreSQL with every ticket where it was. */
    @Test
    void aLostLineIsRebuiltWithTheSamePositions() {
        OffsetDateTime release = releaseInAnHour();
        LocalDate date = dateOf(Api.queuedRelease(HOSPITAL, DEPARTMENT, release, 1, 5, Map.of("mode", "QUEUE", "admitPerSecond", 5)));
        List<String> accounts = IntStream.range(0, 40).mapToObj(i -> "queue-lost-" + i + "-" + UUID.randomUUID()).toList();
        clock.moveTo(release.minusMinutes(2));
        Surge.fire(accounts.subList(0, 30).stream().map(a -> takeAttempt(a, date)).toList()).forEach(r -> assertEquals(201, r.status()));
        clock.moveTo(release.plusSeconds(1));
        Surge.fire(accounts.subList(30, 40).stream().map(a -> takeAttempt(a, date)).toList()).forEach(r -> assertEquals(201, r.status()));
        Map<String, String> before = seenByAccount(accounts, date);

        List<String> lost = new ArrayList<>();
        redis.keys("*{" + HOSPITAL + ":" + DEPARTMENT + ":" + date + "}:queue:*").await().atMost(WAIT).forEach(k -> lost.add(k.toString()));
        assertEquals(4, lost.size(), lost.toString());
        redis.del(lost).await().atMost(WAIT);
        room.forgetSeen();

        assertEquals(before, seenByAccount(accounts, date), "every ticket keeps its position and admission instant");
        JsonPath newcomer = Api.takeTicket("queue-lost-new-" + UUID.randomUUID(), HOSPITAL, DEPARTMENT, date).then().statusCode(201)
                .extract().jsonPath();
        assertEquals(41, newcomer.getInt("position"), "the back of the line is where it was");
    }

    private Map<String, String> seenByAccount(List<String> accounts, LocalDate date) {
        Map<String, String> seen = new HashMap<>();
        for (String account : accounts) {
            JsonPath ticket = Api.takeTicket(account, HOSPITAL, DEPARTMENT, date).then().statusCode(201).extract().jsonPath();
            seen.put(account, ticket.getString("id") + " #" + ticket.getInt("position") + " @" + ticket.getString("estimatedAdmitAt"));
        }
        assertEquals(accounts.size(), new HashSet<>(seen.values()).size());
        return seen;
    }

    private long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(WAIT).iterator().next().getLong(0);
    }
}
