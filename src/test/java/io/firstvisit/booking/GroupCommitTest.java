package io.firstvisit.booking;

import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotView;
import io.firstvisit.support.Api;
import io.firstvisit.support.Database;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** I2: concurrent winners share transactions; a unique conflict does not sink the rest of its batch. */
@QuarkusTest
class GroupCommitTest {

    private static final java.time.Duration WINDOW = java.time.Duration.ofMinutes(15);

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    BookingWriter writer;

    @Inject
    SlotDirectory slots;

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    @Test
    void concurrentWinnersAreCommittedInFewerTransactionsThanRows() {
        SlotView slot = slots.find(UUID.fromString(Api.openSlot(60))).await().atMost(WAIT);
        List<NewBooking> winners = new ArrayList<>();
        for (int seat = 1; seat <= 60; seat++) {
            String account = "i2-" + seat + "-" + slot.id();
            winners.add(NewBooking.of(UUID.randomUUID(), slot, seat, UUID.fromString(Api.patient(account)), account, null, Instant.now(), WINDOW));
        }
        DistributionSummary batches = registry.get("firstvisit.booking.batch.size").summary();
        long transactionsBefore = batches.count();
        double rowsBefore = batches.totalAmount();

        List<BookingWriter.Outcome> outcomes = Uni.join().all(winners.stream().map(writer::write).toList())
                .andFailFast().await().atMost(WAIT);

        assertTrue(outcomes.stream().allMatch(o -> o == BookingWriter.Outcome.COMMITTED), outcomes.toString());
        assertEquals(60, Database.activeBookings(pool, slot.id().toString()));
        assertEquals(60.0, batches.totalAmount() - rowsBefore, 0.0, "every row went through a batch");
        long transactions = batches.count() - transactionsBefore;
        assertTrue(transactions < 60, "60 concurrent winners took " + transactions + " transactions");
    }

    @Test
    void aConflictingRowIsSkippedAndTheOthersInItsBatchCommit() {
        SlotView slot = slots.find(UUID.fromString(Api.openSlot(10))).await().atMost(WAIT);
        List<NewBooking> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String account = "i2-conflict-" + i + "-" + slot.id();
            int seat = i == 9 ? 1 : i + 1; // the last row claims seat 1 again: PostgreSQL must refuse it
            rows.add(NewBooking.of(UUID.randomUUID(), slot, seat, UUID.fromString(Api.patient(account)), account, null, Instant.now(), WINDOW));
        }

        List<BookingWriter.Outcome> outcomes = Uni.join().all(rows.stream().map(writer::write).toList())
                .andFailFast().await().atMost(WAIT);

        assertEquals(9, outcomes.stream().filter(o -> o == BookingWriter.Outcome.COMMITTED).count());
        assertEquals(1, outcomes.stream().filter(o -> o == BookingWriter.Outcome.CONFLICT).count());
        assertEquals(9, Database.activeBookings(pool, slot.id().toString()));
        assertEquals(9, Database.distinctActiveSeats(pool, slot.id().toString()));
    }

    @Test
    void postgresRefusesASeatBeyondCapacity() {
        SlotView slot = slots.find(UUID.fromString(Api.openSlot(2))).await().atMost(WAIT);
        String account = "i1-db-guard-" + slot.id();
        NewBooking beyond = NewBooking.of(UUID.randomUUID(), slot, 3, UUID.fromString(Api.patient(account)), account, null, Instant.now(), WINDOW);

        Throwable refused = writer.write(beyond).onItem().<Throwable>transform(o -> null)
                .onFailure().recoverWithItem(f -> f).await().atMost(WAIT);

        assertTrue(refused != null && BookingWriter.isDataError(refused), "CHECK (seat BETWEEN 1 AND capacity) refused it: " + refused);
        assertEquals(0, Database.activeBookings(pool, slot.id().toString()));
    }
}
