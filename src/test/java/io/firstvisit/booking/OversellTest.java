package io.firstvisit.booking;

import io.firstvisit.support.Api;
import io.firstvisit.support.Database;
import io.firstvisit.support.Surge;
import io.firstvisit.support.Surge.Attempt;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** I1: confirmed + in-flight bookings never exceed capacity, under a real surge. */
@QuarkusTest
class OversellTest {

    @Inject
    Pool pool;

    @Test
    void fiveHundredParentsTwentyPlacesExactlyTwentyWin() {
        String slotId = Api.openSlot(20);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            accounts.add("i1-parent-" + i + "-" + slotId);
        }
        List<String> patients = Api.patients(accounts);
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            attempts.add(Attempt.book(Tokens.patient(accounts.get(i)), slotId, patients.get(i)));
        }

        List<Surge.Result> results = Surge.fire(attempts);

        Map<Integer, Long> byStatus = results.stream().collect(Collectors.groupingBy(Surge.Result::status, Collectors.counting()));
        assertEquals(Map.of(201, 20L, 409, 480L), byStatus, "statuses of the surge");
        results.stream().filter(r -> r.status() == 409)
                .forEach(r -> assertEquals("https://firstvisit.dev/problems/sold-out", io.restassured.path.json.JsonPath.from(r.body()).get("type")));
        assertEquals(20, Database.activeBookings(pool, slotId), "active rows in PostgreSQL");
        assertEquals(20, Database.distinctActiveSeats(pool, slotId), "each active row holds its own seat");
        assertEquals(0, Api.slotCounts(slotId).getInt("remaining"), "remaining in Redis");
        assertEquals(20, Api.slotCounts(slotId).getLong("confirmed"));
    }

    @Test
    void surgeOverManySlotsNeverOversellsAny() {
        String doctor = Api.doctor("CCMC", "GROWTH", true);
        LocalDate date = Api.freshDate();
        List<String> slots = Api.slots(doctor, date, OffsetDateTime.now(Api.BEIJING).minusMinutes(1), 5, 7);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            accounts.add("i1-many-" + i + "-" + doctor);
        }
        List<String> patients = Api.patients(accounts);
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            attempts.add(Attempt.book(Tokens.patient(accounts.get(i)), slots.get(i % slots.size()), patients.get(i)));
        }

        List<Surge.Result> results = Surge.fire(attempts);

        assertEquals(35, results.stream().filter(r -> r.status() == 201).count());
        assertEquals(265, results.stream().filter(r -> r.status() == 409).count());
        for (String slot : slots) {
            assertEquals(7, Database.activeBookings(pool, slot), "slot " + slot);
            assertEquals(0, Api.slotCounts(slot).getInt("remaining"));
        }
    }

    @Test
    void samePatientHammeringTwoSlotsOfOneDayBooksOnce() {
        String doctor = Api.doctor("BCH", "NUTRITION", true);
        List<String> slots = Api.slots(doctor, Api.freshDate(), OffsetDateTime.now(Api.BEIJING).minusMinutes(1), 2, 50);
        String account = "i1-hammer-" + doctor;
        String token = Tokens.patient(account);
        String patient = Api.patient(account);
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            attempts.add(Attempt.book(token, slots.get(i % 2), patient));
        }

        List<Surge.Result> results = Surge.fire(attempts);

        assertEquals(1, results.stream().filter(r -> r.status() == 201).count(), "exactly one booking");
        assertEquals(199, results.stream().filter(r -> r.status() == 409 && r.body().contains("/problems/already-booked")
                || r.status() == 429 && r.body().contains("/problems/rate-limited")).count(),
                "the rest: already-booked, or rate-limited for hammering");
        assertEquals(1, Database.activeBookings(pool, slots.get(0)) + Database.activeBookings(pool, slots.get(1)));
        assertEquals(99, Api.slotCounts(slots.get(0)).getInt("remaining") + Api.slotCounts(slots.get(1)).getInt("remaining"));
    }
}
