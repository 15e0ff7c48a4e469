package io.firstvisit.waitlist;

import io.firstvisit.booking.BookingStatus;

/**
 * Where a waitlist entry is, as the family sees it. PostgreSQL stores WAITING, OFFERED, LEFT or CLOSED; once an entry
 * is OFFERED, what became of its offer is its booking's status, read rather than copied (one home for it).
 */
public enum WaitlistState {
    /** In the queue; {@code position} says how many are ahead, plus one. */
    WAITING,
    /** A place is held for the patient until {@code offerExpiresAt}: accept it or pay. */
    OFFERED,
    /** The offer was taken (accepted or paid); the booking goes on its own way. */
    ACCEPTED,
    /** The offer was not taken in time; the place passed to the next entry. */
    EXPIRED,
    /** The offered booking was cancelled (declined by the family, or by the hospital). */
    CANCELLED,
    /** The family left the queue. */
    LEFT,
    /**
     * Taken out of the queue ({@code closedReason}): when its turn came the patient already held a place that day
     * ({@code already-booked}), the account its limit ({@code account-limit}), or the slot's first-visit / follow-up rule
     * refused the patient ({@code not-eligible}); or its day passed ({@code day-over}).
     */
    CLOSED;

    static WaitlistState of(String stored, BookingStatus offer) {
        return switch (stored) {
            case "WAITING" -> WAITING;
            case "LEFT" -> LEFT;
            case "CLOSED" -> CLOSED;
            default -> offer == null ? OFFERED : switch (offer) {
                case OFFERED, PENDING_PAYMENT -> OFFERED;
                case EXPIRED -> EXPIRED;
                case CANCELLED, CANCELLED_BY_HOSPITAL -> CANCELLED;
                default -> ACCEPTED;
            };
        };
    }
}
