package io.firstvisit.booking;

import io.firstvisit.support.Api;
import io.firstvisit.support.Database;
import io.firstvisit.support.PaymentNotifications;
import io.firstvisit.support.Surge;
import io.firstvisit.support.Surge.Attempt;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10 §1 under load: a surge on a paid slot, half of the holds paid and half expired, a second wave
 * on the returned seats; and payments racing the expiry. I1 holds throughout: held + confirmed never
 * exceed capacity, in PostgreSQL or Redis; a paid booking is never EXPIRED.
 */
@QuarkusTest
class PaidReleaseTest {

    private static final int FEE = 8800;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Sweeps that walk the expiry deadline through the holds while their payments come in. */
    private static final int STEPS = 200;

    @Inject
    HoldExpirer expirer;

    @Inject
    Pool pool;

    @Test
    void surgeOnAPaidSlotHalfPaidHalfExpiredAndASecondWaveBooksExactlyTheReturnedSeats() {
        int capacity = 20;
        String slot = Api.openPaidSlot(capacity, FEE);
        List<Surge.Result> first = Surge.fire(crowd("paid-wave1-" + slot, 100, slot));

        List<String> held = created(first);
        assertEquals(capacity, held.size(), "exactly capacity × 201");
        assertEquals(100 - capacity, first.stream().filter(r -> r.status() == 409).count());
        held.forEach(id -> assertEquals("PENDING_PAYMENT", Api.booking(id).getString("status")));
        assertEquals(0, Api.slotCounts(slot).getInt("remaining"));

        List<String> paid = held.subList(0, capacity / 2);
        List<Attempt> payments = paid.stream().map(id -> payment(id, "wave1-" + id)).toList();
        assertTrue(Surge.fire(payments).stream().allMatch(r -> r.status() == 200));

        int expired = expirer.expireDue(Instant.now().plus(Duration.ofMinutes(16))).await().atMost(WAIT);
        assertTrue(expired >= capacity / 2, "the unpaid holds of this slot expired");
        held.subList(capacity / 2, capacity).forEach(id -> assertEquals("EXPIRED", Api.booking(id).getString("status")));
        paid.forEach(id -> assertEquals("CONFIRMED", Api.booking(id).getString("status")));
        assertEquals(capacity / 2, Api.slotCounts(slot).getInt("remaining"), "the expired seats are back in Redis");

        List<Surge.Result> second = Surge.fire(crowd("paid-wave2-" + slot, 50, slot));
        assertEquals(capacity / 2, created(second).size(), "the second wave books exactly the returned seats");
        assertEquals(0, Api.slotCounts(slot).getInt("remaining"));
        assertEquals(capacity, Database.activeBookings(pool, slot), "PostgreSQL: confirmed + held = capacity");
        assertEquals(capacity, Database.distinctActiveSeats(pool, slot), "each seat held once");
    }

    @Test
    void paymentsRacingTheExpiryEndEitherPaidOrExpiredWithThePaymentRefusedNeverBothNorNeither() {
        int bookings = 120;
        String slot = Api.openPaidSlot(bookings, FEE);
        List<String> held = created(Surge.fire(crowd("paid-race-" + slot, bookings, slot)));
        assertEquals(bookings, held.size());

        // Every payment is sent while the sweeps walk the deadline through these very holds, so that some
        // holds are paid just before their expiry and some expire just before their payment lands.
        List<Instant> deadlines = holdDeadlines(held);
        Instant first = deadlines.get(0);
        Instant last = deadlines.get(deadlines.size() - 1);
        List<Attempt> payments = held.stream().map(id -> payment(id, "race-" + id)).toList();
        CompletableFuture<List<Surge.Result>> paying = CompletableFuture.supplyAsync(() -> Surge.fire(payments));
        CompletableFuture<Integer> sweeping = CompletableFuture.supplyAsync(() -> {
            int swept = 0;
            for (int step = 0; step <= STEPS; step++) {
                Instant boundary = first.plus(Duration.between(first, last).multipliedBy(step).dividedBy(STEPS));
                swept += expirer.expireDue(boundary).await().atMost(WAIT);
            }
            return swept;
        });
        Map<Integer, Long> answers = paying.join().stream().collect(Collectors.groupingBy(Surge.Result::status, Collectors.counting()));
        sweeping.join();
        expirer.expireDue(last.plusSeconds(1)).await().atMost(WAIT); // whatever a payment's lock made a sweep skip

        Map<String, String> outcome = paymentOutcomes(held);
        long confirmed = 0;
        long expired = 0;
        for (String id : held) {
            String status = Api.booking(id).getString("status");
            String payment = outcome.get(id);
            if ("CONFIRMED".equals(status)) {
                assertEquals("CONFIRMED", payment, "booking " + id + " is CONFIRMED with its payment");
                confirmed++;
            } else {
                assertEquals("EXPIRED", status, "booking " + id);
                assertEquals("REFUSED", payment, "booking " + id + " is EXPIRED and its payment refused");
                expired++;
            }
        }
        assertEquals(bookings, confirmed + expired, confirmed + " paid, " + expired + " expired");
        assertEquals(Map.of(200, confirmed, 409, expired).entrySet().stream().filter(e -> e.getValue() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), answers, "each answer says what happened");
        assertEquals(expired, Api.slotCounts(slot).getInt("remaining"), "exactly the expired seats went back");
        assertEquals(confirmed, Database.activeBookings(pool, slot));
    }

    private static List<Attempt> crowd(String prefix, int size, String slot) {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            accounts.add(prefix + "-" + i);
        }
        List<String> patients = Api.patients(accounts);
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            attempts.add(Attempt.book(Tokens.patient(accounts.get(i)), slot, patients.get(i)));
        }
        return attempts;
    }

    private static Attempt payment(String bookingId, String paymentId) {
        String body = PaymentNotifications.body(bookingId, paymentId, FEE);
        Attempt attempt = new Attempt(null, "POST", PaymentNotifications.PATH, body, Map.of());
        for (Map.Entry<String, String> header : PaymentNotifications.headers(body).entrySet()) {
            attempt = attempt.withHeader(header.getKey(), header.getValue());
        }
        return attempt;
    }

    private static List<String> created(List<Surge.Result> results) {
        return results.stream().filter(r -> r.status() == 201).map(r -> JsonPath.from(r.body()).getString("id")).toList();
    }

    private List<Instant> holdDeadlines(List<String> bookings) {
        UUID[] ids = bookings.stream().map(UUID::fromString).toArray(UUID[]::new);
        List<Instant> deadlines = new ArrayList<>();
        pool.preparedQuery("SELECT hold_expires_at FROM booking WHERE id = ANY($1) ORDER BY hold_expires_at").execute(Tuple.of(ids))
                .await().atMost(WAIT).forEach(row -> deadlines.add(row.getOffsetDateTime(0).toInstant()));
        return deadlines;
    }

    private Map<String, String> paymentOutcomes(List<String> bookings) {
        UUID[] ids = bookings.stream().map(UUID::fromString).toArray(UUID[]::new);
        Map<String, String> outcomes = new HashMap<>();
        for (Row row : pool.preparedQuery("SELECT booking_id, outcome FROM payment WHERE booking_id = ANY($1)")
                .execute(Tuple.of(ids)).await().atMost(WAIT)) {
            String previous = outcomes.put(row.getUUID(0).toString(), row.getString(1));
            assertEquals(null, previous, "one decided payment per booking");
        }
        return outcomes;
    }
}
