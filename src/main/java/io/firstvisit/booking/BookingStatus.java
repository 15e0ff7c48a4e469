package io.firstvisit.booking;

/**
 * Where a booking is in its life (docs/operations.md maps these to FHIR R4 {@code Appointment.status}).
 *
 * <pre>
 *  PENDING_PAYMENT ─paid─▶ CONFIRMED ─check-in─▶ CHECKED_IN ─complete─▶ COMPLETED
 *        │                ▲  │   │
 *        └─▶ EXPIRED      │  │   └─no-show (slot started)─▶ NO_SHOW
 *  OFFERED ─accept────────┘  │
 *        └─▶ EXPIRED         │
 *  (all three) ─cancel (before the slot starts)─▶ CANCELLED
 *  (PENDING_PAYMENT, CONFIRMED) ─moved to another slot─▶ RESCHEDULED
 *  (all three) ─slot cancelled by the hospital─▶ CANCELLED_BY_HOSPITAL
 * </pre>
 *
 * The statuses that hold their seat are {@link #holdsSeat()}; PostgreSQL's generated
 * column {@code booking.active} is the same definition (V6), which every rule counting bookings reads.
 */
public enum BookingStatus {
    /** A paid slot's seat, held until {@code holdExpiresAt} for the payment. */
    PENDING_PAYMENT,
    /**
     * A waitlist offer on a free slot (issue 11 §2): the seat is held for this patient until {@code holdExpiresAt}
     * (shown as {@code offerExpiresAt}); {@code POST /bookings/{id}/accept} confirms it. An offer on a paid slot is a
     * PENDING_PAYMENT booking instead, accepted by paying.
     */
    OFFERED,
    CONFIRMED,
    /** The patient arrived and was checked in by the hospital. */
    CHECKED_IN,
    /** The visit took place. */
    COMPLETED,
    /** The slot started and the patient never came. */
    NO_SHOW,
    /** The hold ended unpaid; its seat went back. */
    EXPIRED,
    CANCELLED,
    /** Moved to another slot: {@code rescheduledTo} is the booking that holds the seat now. */
    RESCHEDULED,
    /** The hospital cancelled the slot (a doctor's session stopped); {@code cancelReason} says why. */
    CANCELLED_BY_HOSPITAL;

    /**
     * Uses a seat of its slot: waiting for the visit, or the visit's outcome is recorded (the slot has started,
     * so that place cannot go to anyone else). Must agree with {@code booking.active} (V6__visit_outcomes.sql).
     */
    public boolean holdsSeat() {
        return awaitsVisit() || hasVisitOutcome();
    }

    /**
     * Booked (or offered) and not yet seen: the only statuses a family may cancel (until the slot starts) and the
     * hospital cancels with its slot. Cancelling an offer declines it; its seat goes to the next waiting entry.
     */
    public boolean awaitsVisit() {
        return this == PENDING_PAYMENT || this == OFFERED || this == CONFIRMED;
    }

    /** May be moved to another slot: an OFFERED booking must be accepted first (a move would confirm it unasked). */
    public boolean movable() {
        return this == PENDING_PAYMENT || this == CONFIRMED;
    }

    /** Holds a seat until {@code holdExpiresAt}, after which HoldExpirer makes it EXPIRED and returns the seat. */
    public boolean expires() {
        return this == PENDING_PAYMENT || this == OFFERED;
    }

    /** The hospital recorded what happened at the visit ({@link VisitOutcome}); the family can no longer change it. */
    public boolean hasVisitOutcome() {
        return this == CHECKED_IN || this == COMPLETED || this == NO_SHOW;
    }
}
