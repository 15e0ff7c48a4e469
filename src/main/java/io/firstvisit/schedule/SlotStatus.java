package io.firstvisit.schedule;

import java.time.Instant;

public enum SlotStatus {
    /** Before its release instant: visible, not bookable. */
    UPCOMING,
    OPEN,
    FULL;

    public static SlotStatus of(SlotView slot, int remaining, Instant now) {
        if (now.isBefore(slot.releaseAt().toInstant())) {
            return UPCOMING;
        }
        return remaining > 0 ? OPEN : FULL;
    }
}
