package io.firstvisit.booking;

import io.firstvisit.schedule.SlotView;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A booking that won its seat in Redis and now waits for its row to be committed. Its id is the reservation
 * id. On a paid slot it starts PENDING_PAYMENT, holding the seat until {@code holdExpiresAt}. {@code followUpOf}: the
 * completed visit a follow-up continues, when the family named one (else null).
 */
public record NewBooking(UUID id, SlotView slot, int seat, UUID patientId, String accountId, String idempotencyKey,
                         Instant createdAt, BookingStatus status, Instant holdExpiresAt, UUID followUpOf) {

    /** A booking that names no earlier visit (every FIRST slot's, and a follow-up's without {@code followUpOf}). */
    public static NewBooking of(UUID id, SlotView slot, int seat, UUID patientId, String accountId, String idempotencyKey,
                                Instant createdAt, Duration paymentWindow) {
        return of(id, slot, seat, patientId, accountId, idempotencyKey, createdAt, paymentWindow, null);
    }

    public static NewBooking of(UUID id, SlotView slot, int seat, UUID patientId, String accountId, String idempotencyKey,
                                Instant createdAt, Duration paymentWindow, UUID followUpOf) {
        return slot.fee() > 0
                ? new NewBooking(id, slot, seat, patientId, accountId, idempotencyKey, createdAt, BookingStatus.PENDING_PAYMENT,
                        createdAt.plus(paymentWindow), followUpOf)
                : new NewBooking(id, slot, seat, patientId, accountId, idempotencyKey, createdAt, BookingStatus.CONFIRMED, null,
                        followUpOf);
    }

    /** The row as it is once committed. */
    public Booking row() {
        Booking b = new Booking();
        b.id = id;
        b.slotId = slot.id();
        b.seat = seat;
        b.slotCapacity = slot.capacity();
        b.patientId = patientId;
        b.accountId = accountId;
        b.departmentId = slot.departmentId();
        b.visitDate = slot.date();
        b.status = status;
        b.idempotencyKey = idempotencyKey;
        b.createdAt = createdAt;
        b.fee = slot.fee();
        b.holdExpiresAt = holdExpiresAt;
        b.followUpOf = followUpOf;
        return b;
    }
}
