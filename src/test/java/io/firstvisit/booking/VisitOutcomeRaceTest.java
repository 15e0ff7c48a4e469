package io.firstvisit.booking;

import io.firstvisit.inventory.rebuild.InventoryReconciler;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.support.Api;
import io.firstvisit.support.Database;
import io.firstvisit.support.Surge;
import io.firstvisit.support.Surge.Attempt;
import io.firstvisit.support.TestClock;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10 §4 under concurrency: PostgreSQL decides each move (UPDATE ... WHERE status = from), so requests
 * racing on one booking leave it in one legal state with exactly one event and one audit line per move that
 * applied, and every answer agrees with that history.
 */
@QuarkusTest
class VisitOutcomeRaceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Map<String, String> EVENT = Map.of("check-in", "booking.checked_in", "complete", "booking.completed",
            "no-show", "booking.no_show");
    /** The histories a booking may have after its insert: each a chain of legal moves. */
    private static final Set<List<String>> LEGAL = Set.of(List.of(), List.of("booking.checked_in"),
            List.of("booking.checked_in", "booking.completed"), List.of("booking.no_show"));

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @Inject
    InventoryReconciler reconciler;

    @Inject
    SlotDirectory slots;

    @Test
    void twoHundredMixedRequestsLeaveEachBookingInOneLegalStateWithOneEventPerAppliedMove() {
        int bookings = 20;
        int capacity = 25;
        OffsetDateTime start = VisitOutcomeTest.soon();
        String slot = Api.slotStartingAt("CCMC", "NUTRITION", start, capacity, 0);
        List<String> ids = book(slot, bookings, "outcome-race-");

        // Ten requests per booking (4 check-ins, 3 no-shows, 3 completions), all 200 shuffled and released at once.
        Random random = new Random(20261202);
        List<Attempt> attempts = new ArrayList<>();
        for (String id : ids) {
            for (String route : List.of("check-in", "check-in", "check-in", "check-in", "no-show", "no-show", "no-show",
                    "complete", "complete", "complete")) {
                attempts.add(new Attempt(Api.schedulerToken(), "POST", "/api/v1/admin/bookings/" + id + "/" + route, null, Map.of()));
            }
        }
        Collections.shuffle(attempts, random);
        assertEquals(200, attempts.size());

        clock.moveTo(start.plusMinutes(1)); // the slot has started: no-show is allowed
        List<Surge.Result> results;
        try {
            results = Surge.fire(attempts);
        } finally {
            clock.reset();
        }

        Map<String, List<Surge.Result>> byBooking = new HashMap<>();
        for (Surge.Result result : results) {
            String path = result.attempt().path();
            byBooking.computeIfAbsent(path.split("/")[5], k -> new ArrayList<>()).add(result);
        }
        int applied = 0;
        for (String id : ids) {
            List<String> events = Database.eventTypes(pool, id);
            assertEquals("booking.confirmed", events.get(0), id);
            List<String> moves = events.subList(1, events.size());
            assertTrue(LEGAL.contains(moves), "booking " + id + " went through a legal chain, each move once: " + moves);
            applied += moves.size();
            String status = Api.booking(id).getString("status");
            assertEquals(moves.isEmpty() ? "CONFIRMED" : moves.get(moves.size() - 1).substring("booking.".length()).toUpperCase(), status,
                    "booking " + id + " is where its last event says");
            List<String> audit = Database.auditLines(pool, id);
            assertEquals(moves.size() + 1, audit.size(), "one audit line per applied move: " + audit);

            Set<String> answeredMoves = new HashSet<>();
            for (Surge.Result result : byBooking.get(id)) {
                String route = result.attempt().path().substring(result.attempt().path().lastIndexOf('/') + 1);
                if (result.status() == 200) {
                    String answered = JsonPath.from(result.body()).getString("status");
                    assertEquals(EVENT.get(route).substring("booking.".length()).toUpperCase(), answered, route + " on " + id);
                    assertTrue(moves.contains(EVENT.get(route)), "a 200 for " + route + " on " + id + " means that move is in its history " + moves);
                    answeredMoves.add(EVENT.get(route));
                } else {
                    assertEquals(409, result.status(), route + " on " + id + ": " + result.body());
                    assertEquals("https://firstvisit.dev/problems/invalid-transition", JsonPath.from(result.body()).getString("type"));
                }
            }
            assertEquals(new HashSet<>(moves), answeredMoves, "every applied move was answered 200 to someone (" + id + ")");
        }
        assertTrue(applied >= bookings, "every booking was moved at least once (4 check-ins and 3 no-shows each): " + applied);
        assertEquals(capacity - bookings, Api.slotCounts(slot).getInt("remaining"), "no seat came back");
        assertEquals(bookings, Api.slotCounts(slot).getLong("confirmed"));
        assertEquals(bookings, Database.distinctActiveSeats(pool, slot));
        assertEquals(0, reconciler.reconcile(slots.find(UUID.fromString(slot)).await().atMost(WAIT).day()).await().atMost(WAIT).total(),
                "Redis and PostgreSQL agree: every booking still holds its seat");
    }

    @Test
    void aCancellationRacingACheckInEndsCancelledOrCheckedInNeverBoth() {
        int bookings = 20;
        int capacity = 20;
        String slot = Api.openSlot(capacity);
        List<String> accounts = new ArrayList<>();
        List<String> ids = book(slot, bookings, "cancel-race-", accounts);
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < bookings; i++) {
            attempts.add(new Attempt(Tokens.patient(accounts.get(i)), "DELETE", "/api/v1/bookings/" + ids.get(i), null, Map.of()));
            attempts.add(new Attempt(Api.schedulerToken(), "POST", "/api/v1/admin/bookings/" + ids.get(i) + "/check-in", null, Map.of()));
        }

        List<Surge.Result> results = Surge.fire(attempts);

        int checkedIn = 0;
        for (int i = 0; i < bookings; i++) {
            Surge.Result cancel = results.get(2 * i);
            Surge.Result checkIn = results.get(2 * i + 1);
            String status = Api.booking(ids.get(i)).getString("status");
            if (status.equals("CHECKED_IN")) {
                checkedIn++;
                assertEquals(200, checkIn.status(), checkIn.body());
                assertEquals(409, cancel.status(), "a checked-in booking is not cancelled: " + cancel.body());
                assertEquals("https://firstvisit.dev/problems/invalid-transition", JsonPath.from(cancel.body()).getString("type"));
                assertEquals(List.of("booking.confirmed", "booking.checked_in"), Database.eventTypes(pool, ids.get(i)));
            } else {
                assertEquals("CANCELLED", status, ids.get(i));
                assertEquals(200, cancel.status(), cancel.body());
                assertEquals(409, checkIn.status(), "a cancelled booking is not checked in: " + checkIn.body());
                assertEquals(List.of("booking.confirmed", "booking.cancelled"), Database.eventTypes(pool, ids.get(i)));
            }
        }
        assertEquals(capacity - checkedIn, Api.slotCounts(slot).getInt("remaining"), "exactly the cancelled seats came back");
        assertEquals(checkedIn, Api.slotCounts(slot).getLong("confirmed"));
    }

    private static List<String> book(String slot, int count, String prefix) {
        return book(slot, count, prefix, new ArrayList<>());
    }

    /** {@code count} bookings on the slot, each by its own account (added to {@code accounts}) for its own child. */
    private static List<String> book(String slot, int count, String prefix, List<String> accounts) {
        for (int i = 0; i < count; i++) {
            accounts.add(prefix + UUID.randomUUID());
        }
        List<String> patients = Api.patients(accounts);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(VisitOutcomeTest.booked(accounts.get(i), slot, patients.get(i)));
        }
        return ids;
    }
}
