package io.firstvisit.booking;

/**
 * Where a booking is in its life (docs/operations.md maps these to FHIR R4 {@code Appointment.status}).
 *
 * <pre>
 *  PENDING_PAYMENT ─paid─▶ CONFIRMED ─check-in─▶ CHECKED_IN ─complete─▶ COMPLETED
 *        │                  │   │
 *        └─▶ EXPIRED        │   └─no-show (slot started)─▶ NO_SHOW
 *  (both) ─cancel (before the slot starts)─▶ CANCELLED
 *  (both) ─moved to another slot─▶ RESCHEDULED
 *  (both) ─slot cancelled by the hospital─▶ CANCELLED_BY_HOSPITAL
 * </pre>
 *
 * The statuses that hold their seat are {@link #holdsSeat()}; PostgreSQL's generated
 * column {@code booking.active} is the same definition (V6), which every rule counting bookings reads.
 */
public enum BookingStatus {
    /** A paid slot's seat, held until {@code holdExpiresAt} for the payment. */
    PENDING_PAYMENT,
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

    /** Booked and not yet seen: the only statuses a family may cancel (until the slot starts). */
    public boolean awaitsVisit() {
        return this == PENDING_PAYMENT || this == CONFIRMED;
    }

    /** The hospital recorded what happened at the visit ({@link VisitOutcome}); the family can no longer change it. */
    public boolean hasVisitOutcome() {
        return this == CHECKED_IN || this == COMPLETED || this == NO_SHOW;
    }
}
