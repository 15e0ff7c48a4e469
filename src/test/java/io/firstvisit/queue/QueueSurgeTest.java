package io.firstvisit.queue;

import io.firstvisit.support.Api;
import io.firstvisit.support.Database;
import io.firstvisit.support.Surge;
import io.firstvisit.support.Surge.Attempt;
import io.firstvisit.support.TestClock;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invariants on a QUEUE release under a surge: hundreds of parents take tickets at once (twice each: one ticket
 * per account), then all book at once with their admitted tickets while others try without: no oversell (I1), one
 * booking per patient, every 201 committed (I2), and nothing booked without an admitted ticket (I13).
 */
@QuarkusTest
class QueueSurgeTest {

    private static final int PARENTS = 300;
    private static final int INTRUDERS = 100;
    private static final int SLOTS = 2;
    private static final int CAPACITY = 25;

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aQueuedSurgeBooksExactlyTheCapacityOnlyThroughAdmittedTickets() {
        OffsetDateTime release = OffsetDateTime.now(Api.BEIJING).plusHours(1).truncatedTo(ChronoUnit.SECONDS);
        JsonPath published = Api.queuedRelease("CCMC", "DERMATOLOGY", release, SLOTS, CAPACITY, Map.of("mode", "QUEUE", "admitPerSecond", 5000));
        LocalDate date = OffsetDateTime.parse(published.getString("slots[0].start")).toLocalDate();
        List<String> slots = published.getList("slots.id", String.class);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> accounts = IntStream.range(0, PARENTS + INTRUDERS).mapToObj(i -> "qsurge-" + run + "-" + i).toList();
        List<String> patients = Api.patients(accounts);

        clock.moveTo(release.minusMinutes(5));
        String body = "{\"hospital\":\"CCMC\",\"department\":\"DERMATOLOGY\",\"date\":\"" + date + "\"}";
        List<Attempt> takes = new ArrayList<>();
        for (int i = 0; i < PARENTS; i++) {
            Attempt take = new Attempt(Tokens.patient(accounts.get(i)), "POST", "/api/v1/queue/tickets", body, Map.of());
            takes.add(take);
            takes.add(take); // a double tap: still one ticket
        }
        List<Surge.Result> taken = Surge.fire(takes);
        List<String> tickets = new ArrayList<>();
        for (int i = 0; i < PARENTS; i++) {
            Surge.Result a = taken.get(2 * i), b = taken.get(2 * i + 1);
            assertEquals(201, a.status(), a.body());
            assertEquals(201, b.status(), b.body());
            assertEquals(JsonPath.from(a.body()).getString("id"), JsonPath.from(b.body()).getString("id"), "one ticket per account");
            tickets.add(JsonPath.from(a.body()).getString("id"));
        }
        assertEquals(PARENTS, new HashSet<>(tickets).size());
        assertEquals((long) PARENTS, pool.preparedQuery("SELECT count(*) FROM queue_ticket WHERE account_id LIKE $1")
                .execute(Tuple.of("qsurge-" + run + "-%")).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0));

        // 300 positions at 5 000 a second: everyone is admitted 60 ms after the release, for 10 minutes.
        clock.moveTo(release.plusSeconds(1));
        List<Attempt> bookings = new ArrayList<>();
        for (int i = 0; i < PARENTS + INTRUDERS; i++) {
            Attempt book = Attempt.book(Tokens.patient(accounts.get(i)), slots.get(i % SLOTS), patients.get(i));
            // Intruders: half without a ticket, half with a parent's ticket that is not theirs.
            bookings.add(i < PARENTS ? book.withHeader("Admission-Ticket", tickets.get(i))
                    : i % 2 == 0 ? book : book.withHeader("Admission-Ticket", tickets.get(i - PARENTS)));
        }
        List<Surge.Result> answers = Surge.fire(bookings);

        Map<Integer, Long> statuses = answers.stream().collect(Collectors.groupingBy(Surge.Result::status, Collectors.counting()));
        assertEquals((long) SLOTS * CAPACITY, statuses.getOrDefault(201, 0L), statuses.toString());
        assertEquals((long) INTRUDERS, statuses.getOrDefault(403, 0L), statuses.toString());
        assertEquals((long) PARENTS - SLOTS * CAPACITY, statuses.getOrDefault(409, 0L), statuses.toString());
        for (int i = PARENTS; i < PARENTS + INTRUDERS; i++) {
            assertTrue(answers.get(i).body().contains("queue-required"), answers.get(i).body());
        }
        Set<String> booked = new HashSet<>();
        for (Surge.Result r : answers) {
            if (r.status() == 201) {
                String id = JsonPath.from(r.body()).getString("id");
                assertEquals(1, Database.bookingRows(pool, id), "a 201 is committed");
                booked.add(JsonPath.from(r.body()).getString("patientId"));
            }
        }
        assertEquals(SLOTS * CAPACITY, booked.size(), "one booking per patient");
        for (String slot : slots) {
            assertEquals(CAPACITY, Database.activeBookings(pool, slot), "PostgreSQL: no oversell");
            assertEquals(CAPACITY, Database.distinctActiveSeats(pool, slot));
            assertEquals(0, Api.slotCounts(slot).getInt("remaining"), "Redis: sold out");
        }
    }
}
