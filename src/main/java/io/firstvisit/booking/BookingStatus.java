package io.firstvisit.booking;

/**
 * Where a booking is in its life (docs/operations.md maps these to FHIR R4 {@code Appointment.status}).
 * PENDING_PAYMENT and CONFIRMED hold a seat; PostgreSQL's generated column {@code booking.active} is the
 * one definition of that, which every rule counting bookings reads.
 */
public enum BookingStatus {
    /** A paid slot's seat, held until {@code holdExpiresAt} for the payment. */
    PENDING_PAYMENT,
    CONFIRMED,
    /** The hold ended unpaid; its seat went back. */
    EXPIRED,
    CANCELLED,
    /** Moved to another slot: {@code rescheduledTo} is the booking that holds the seat now. */
    RESCHEDULED,
    /** The hospital cancelled the slot (a doctor's session stopped); {@code cancelReason} says why. */
    CANCELLED_BY_HOSPITAL;

    public boolean holdsSeat() {
        return this == PENDING_PAYMENT || this == CONFIRMED;
    }
}
