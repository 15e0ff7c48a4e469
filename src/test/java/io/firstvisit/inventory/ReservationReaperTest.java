package io.firstvisit.inventory;

import io.firstvisit.booking.BookingWriter;
import io.firstvisit.booking.NewBooking;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotView;
import io.firstvisit.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * I3: a reservation whose commit never happened goes back to the inventory after its deadline; one
 * whose row did commit never goes back.
 */
@QuarkusTest
class ReservationReaperTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Inventory inventory;

    @Inject
    ReservationReaper reaper;

    @Inject
    SlotDirectory slots;

    @Inject
    BookingWriter writer;

    @Test
    void reservationThatNeverCommittedReturnsItsSeat() {
        SlotView slot = slots.find(UUID.fromString(Api.openSlot(2))).await().atMost(WAIT);
        // A reservation taken 60 s ago by an instance that then died before writing its row.
        Instant longAgo = Instant.now().minusSeconds(60);
        Admission taken = inventory.reserve(slot.day(), slot.id(), UUID.randomUUID(), UUID.randomUUID(), "reserver-" + UUID.randomUUID(), 3, longAgo).await().atMost(WAIT);
        assertInstanceOf(Admission.Reserved.class, taken);
        assertEquals(1, Api.slotCounts(slot.id().toString()).getInt("remaining"));

        reaper.sweep(slot.day(), Instant.now()).await().atMost(WAIT);

        assertEquals(2, Api.slotCounts(slot.id().toString()).getInt("remaining"), "the seat is back");
        reaper.sweep(slot.day(), Instant.now()).await().atMost(WAIT);
        assertEquals(2, Api.slotCounts(slot.id().toString()).getInt("remaining"), "and only once");
    }

    @Test
    void reservationWithinItsDeadlineIsLeftAlone() {
        SlotView slot = slots.find(UUID.fromString(Api.openSlot(2))).await().atMost(WAIT);
        inventory.reserve(slot.day(), slot.id(), UUID.randomUUID(), UUID.randomUUID(), "reserver-" + UUID.randomUUID(), 3, Instant.now()).await().atMost(WAIT);

        reaper.sweep(slot.day(), Instant.now()).await().atMost(WAIT);

        assertEquals(1, Api.slotCounts(slot.id().toString()).getInt("remaining"), "an in-flight commit keeps its seat");
    }

    @Test
    void committedReservationWhoseConfirmationWasLostKeepsItsSeat() {
        SlotView slot = slots.find(UUID.fromString(Api.openSlot(2))).await().atMost(WAIT);
        String account = "i3-committed-" + slot.id();
        UUID patient = UUID.fromString(Api.patient(account));
        UUID reservation = UUID.randomUUID();
        Instant longAgo = Instant.now().minusSeconds(60);
        Admission.Reserved taken = (Admission.Reserved) inventory.reserve(slot.day(), slot.id(), patient, reservation, account, 3, longAgo)
                .await().atMost(WAIT);
        // The row commits, but the instance dies before telling Redis (no confirm).
        assertEquals(BookingWriter.Outcome.COMMITTED, writer.write(NewBooking.of(reservation, slot, taken.seat(), patient,
                account, null, longAgo, Duration.ofMinutes(15))).await().atMost(WAIT));

        reaper.sweep(slot.day(), Instant.now()).await().atMost(WAIT);

        assertEquals(1, Api.slotCounts(slot.id().toString()).getInt("remaining"), "a committed booking never goes back");
        assertEquals(1, Api.slotCounts(slot.id().toString()).getLong("confirmed"));
    }
}
