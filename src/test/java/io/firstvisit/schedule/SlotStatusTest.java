package io.firstvisit.schedule;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one definition of a slot's status, at its edges: the release instant opens it, the start instant closes it. */
class SlotStatusTest {

    private static final OffsetDateTime RELEASE = OffsetDateTime.of(2026, 12, 24, 8, 0, 0, 0, ZoneOffset.ofHours(8));
    private static final OffsetDateTime START = RELEASE.plusDays(1);
    private static final SlotView SLOT = new SlotView(UUID.randomUUID(), "BCH", "GROWTH", UUID.randomUUID(), LocalDate.of(2026, 12, 25),
            new SlotView.DoctorRef(UUID.randomUUID(), "Dr. Test", "Attending"), START, START.plusMinutes(15), VisitType.FIRST,
            3, RELEASE, 18, 0, null);

    @Test
    void upcomingUntilTheReleaseInstantThenOpenOrFullThenClosedFromTheStartWhateverIsLeft() {
        Instant release = RELEASE.toInstant();
        Instant start = START.toInstant();

        assertEquals(SlotStatus.UPCOMING, SlotStatus.of(SLOT, 3, release.minusNanos(1000)));
        assertEquals(SlotStatus.OPEN, SlotStatus.of(SLOT, 3, release));
        assertEquals(SlotStatus.FULL, SlotStatus.of(SLOT, 0, release));
        assertEquals(SlotStatus.OPEN, SlotStatus.of(SLOT, 1, start.minusNanos(1000)));
        assertEquals(SlotStatus.CLOSED, SlotStatus.of(SLOT, 1, start));
        assertEquals(SlotStatus.CLOSED, SlotStatus.of(SLOT, 0, start.plusSeconds(3600)));
        assertEquals(SlotStatus.CLOSED, SlotStatus.of(SLOT, 3, START.plusMinutes(15).toInstant().plusSeconds(1)));
    }

    @Test
    void theBookingPathsViewWithoutInventoryIsTheSameSaveForFull() {
        assertEquals(SlotStatus.UPCOMING, SlotStatus.at(SLOT, RELEASE.toInstant().minusSeconds(1)));
        assertEquals(SlotStatus.OPEN, SlotStatus.at(SLOT, RELEASE.toInstant()));
        assertEquals(SlotStatus.CLOSED, SlotStatus.at(SLOT, START.toInstant()));
    }
}
