package io.firstvisit.schedule;

import java.time.Instant;

/**
 * What a slot is at an instant: the one definition that availability shows and the booking path obeys, so a
 * slot listed OPEN is one that POST /bookings accepts (seats permitting) and one listed CLOSED is refused.
 * Decided from the slot (immutable once published), its remaining seats and now.
 */
public enum SlotStatus {
    /** Before its release instant: visible, not bookable (409 {@code not-open}). */
    UPCOMING,
    /** Released, not started, seats left. */
    OPEN,
    /** Released, not started, no seat left (409 {@code sold-out}; the booking path leaves this to reserve.lua). */
    FULL,
    /** The slot has started: no booking, no cancellation (409 {@code closed}); a no-show can be recorded. */
    CLOSED,
    /**
     * The hospital cancelled it: never bookable again (409 {@code slot-cancelled}). Known from Redis (the
     * department-day's cancelled-slots hash), which the booking path's reserve.lua reads as well.
     */
    CANCELLED;

    public static SlotStatus of(SlotView slot, int remaining, Instant now) {
        return of(slot, remaining, false, now);
    }

    public static SlotStatus of(SlotView slot, int remaining, boolean cancelled, Instant now) {
        if (cancelled) {
            return CANCELLED;
        }
        SlotStatus status = at(slot, now);
        return status == OPEN && remaining <= 0 ? FULL : status;
    }

    /**
     * The status as far as time decides it, without the inventory: UPCOMING, CLOSED, or OPEN meaning "open,
     * seats permitting". The booking path reads this before Redis, which alone can say FULL without a race.
     */
    public static SlotStatus at(SlotView slot, Instant now) {
        // Cancellation is not decided here: slot views are immutable copies, and only Redis knows it at once.
        if (!now.isBefore(slot.start().toInstant())) {
            return CLOSED;
        }
        if (now.isBefore(slot.releaseAt().toInstant())) {
            return UPCOMING;
        }
        return OPEN;
    }
}
