package io.firstvisit.inventory;

import io.firstvisit.inventory.rebuild.InventoryReconciler;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotView;
import io.firstvisit.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.firstvisit.support.Api.book;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reconciler finds each kind of drift between Redis and PostgreSQL and repairs it. */
@QuarkusTest
class InventoryReconcilerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    InventoryReconciler reconciler;

    @Inject
    Inventory inventory;

    @Inject
    InventoryKeys keys;

    @Inject
    SlotDirectory slots;

    @Inject
    RedisAPI redis;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Test
    void aBookedSeatOfferedAgainIsRemoved() {
        SlotView slot = slot(3);
        String account = "rec-offered-" + slot.id();
        book(account, null, slot.id().toString(), Api.patient(account)).then().statusCode(201);
        // Drift that would oversell: the booked seat shows up in the free list again.
        String taken = missingSeat(slot, 3);
        redis.rpush(List.of(keys.seats(slot.day(), slot.id()), taken)).await().atMost(WAIT);
        assertEquals(3, remaining(slot));

        Inventory.Drift drift = reconciler.reconcile(slot.day()).await().atMost(WAIT);

        assertEquals(1, drift.removed());
        assertEquals(2, remaining(slot));
    }

    @Test
    void aSeatNobodyHoldsIsReturned() {
        SlotView slot = slot(3);
        // A lost release: the seat left the free list but no reservation or booking holds it.
        redis.lpop(List.of(keys.seats(slot.day(), slot.id()))).await().atMost(WAIT);
        assertEquals(2, remaining(slot));

        Inventory.Drift drift = reconciler.reconcile(slot.day()).await().atMost(WAIT);

        assertEquals(1, drift.returned());
        assertEquals(3, remaining(slot));
    }

    @Test
    void anOldReservationWithoutABookingIsReturnedButAFreshOneIsNot() {
        SlotView slot = slot(3);
        UUID old = UUID.randomUUID();
        inventory.reserve(slot.day(), slot.id(), UUID.randomUUID(), old, "reserver-" + UUID.randomUUID(), 3, Instant.now().minus(Duration.ofMinutes(10))).await().atMost(WAIT);
        redis.zrem(List.of(keys.pending(slot.day()), old.toString())).await().atMost(WAIT); // looks confirmed, has no row
        inventory.reserve(slot.day(), slot.id(), UUID.randomUUID(), UUID.randomUUID(), "reserver-" + UUID.randomUUID(), 3, Instant.now()).await().atMost(WAIT);
        assertEquals(1, remaining(slot));

        Inventory.Drift drift = reconciler.reconcile(slot.day()).await().atMost(WAIT);

        assertEquals(1, drift.returned(), "only the reservation too old for a commit to land comes back");
        assertEquals(2, remaining(slot));
    }

    @Test
    void aBookingRedisForgotIsRecordedAgain() {
        SlotView slot = slot(3);
        String account = "rec-forgot-" + slot.id();
        String patient = Api.patient(account);
        String booking = book(account, null, slot.id().toString(), patient).then().statusCode(201).extract().path("id");
        redis.hdel(List.of(keys.reservations(slot.day()), booking)).await().atMost(WAIT);
        redis.hdel(List.of(keys.holders(slot.day()), patient)).await().atMost(WAIT);

        Inventory.Drift drift = reconciler.reconcile(slot.day()).await().atMost(WAIT);

        assertEquals(1, drift.added());
        assertEquals(0, drift.returned(), "the booked seat is not handed out");
        assertEquals(2, remaining(slot));
        book(account, null, slot.id().toString(), patient).then().statusCode(409).body("type", endsWith("/already-booked"));
    }

    @Test
    void aConsistentDayHasNoDrift() {
        SlotView slot = slot(5);
        String account = "rec-clean-" + slot.id();
        book(account, null, slot.id().toString(), Api.patient(account)).then().statusCode(201);

        assertEquals(0, reconciler.reconcile(slot.day()).await().atMost(WAIT).total());
    }

    /**
     * Every instance runs the reconciler, on start and on its schedule, so runs overlap. Eight at once on
     * one drifted day: the drift is repaired once (counted once, in the metric too), and the day ends
     * consistent: no seat offered twice, none lost, the booked seat not offered.
     */
    @Test
    void reconcilersOfEveryInstanceAtOnceRepairEachDriftOnce() {
        SlotView slot = slot(6);
        String account = "rec-together-" + slot.id();
        book(account, null, slot.id().toString(), Api.patient(account)).then().statusCode(201);
        String taken = missingSeat(slot, 6);
        redis.rpush(List.of(keys.seats(slot.day(), slot.id()), taken)).await().atMost(WAIT); // booked seat offered again
        redis.lpop(List.of(keys.seats(slot.day(), slot.id()))).await().atMost(WAIT);        // two lost releases
        redis.lpop(List.of(keys.seats(slot.day(), slot.id()))).await().atMost(WAIT);
        double before = driftMetric();

        List<Inventory.Drift> drifts = io.smallrye.mutiny.Uni.join()
                .all(java.util.stream.IntStream.range(0, 8).mapToObj(i -> reconciler.reconcile(slot.day())).toList())
                .andFailFast().await().atMost(WAIT);

        assertEquals(1, drifts.stream().mapToLong(Inventory.Drift::removed).sum(), "the offered booked seat, removed once: " + drifts);
        assertEquals(2, drifts.stream().mapToLong(Inventory.Drift::returned).sum(), "the two lost seats, returned once: " + drifts);
        assertEquals(0, drifts.stream().mapToLong(Inventory.Drift::added).sum());
        assertEquals(3, driftMetric() - before, 0.0, "firstvisit_inventory_drift_total grew by the drift found");
        List<String> free = freeSeats(slot);
        assertEquals(5, free.size(), "capacity 6 - 1 booked: " + free);
        assertEquals(5, free.stream().distinct().count(), "no seat offered twice: " + free);
        assertEquals(false, free.contains(taken), "the booked seat is not offered");
        assertEquals(0, reconciler.reconcile(slot.day()).await().atMost(WAIT).total(), "nothing left to repair");
    }

    private double driftMetric() {
        return registry.find("firstvisit.inventory.drift").counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    private SlotView slot(int capacity) {
        return slots.find(UUID.fromString(Api.openSlot(capacity))).await().atMost(WAIT);
    }

    private int remaining(SlotView slot) {
        return Api.slotCounts(slot.id().toString()).getInt("remaining");
    }

    /** The seat number in 1..capacity that is not in the free list. */
    private String missingSeat(SlotView slot, int capacity) {
        List<String> free = freeSeats(slot);
        for (int seat = 1; seat <= capacity; seat++) {
            if (!free.contains(Integer.toString(seat))) {
                return Integer.toString(seat);
            }
        }
        throw new AssertionError("no seat is taken");
    }

    /** The slot's free-seat list in Redis, as it stands. */
    private List<String> freeSeats(SlotView slot) {
        List<String> free = new java.util.ArrayList<>();
        redis.lrange(keys.seats(slot.day(), slot.id()), "0", "-1").await().atMost(WAIT).forEach(seat -> free.add(seat.toString()));
        return free;
    }
}
