package io.firstvisit.booking;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.schedule.SlotView;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A booking as the v1 API shows it. {@code fee} is in fen; {@code holdExpiresAt} is set while a paid slot's
 * booking waits for its payment; {@code refundDue} is set on a cancelled booking, by the parent or the hospital
 * (true when it was paid), and {@code cancelReason} on one the hospital cancelled;
 * {@code rescheduledTo} / {@code rescheduledFrom} link a moved booking and the one that replaced it;
 * {@code checkedInAt}, {@code completedAt} and {@code noShowAt} are when the hospital recorded the visit's outcome;
 * {@code followUpOf} is the completed visit a follow-up booking continues, when the family named one;
 * {@code waitlistEntryId} names the waitlist entry a booking was offered to, and {@code offerExpiresAt} is set while
 * that offer waits (OFFERED, or PENDING_PAYMENT on a paid slot): accept or pay before it, or the place passes on.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BookingJson(UUID id, UUID slotId, UUID patientId, BookingStatus status, OffsetDateTime start,
                          OffsetDateTime end, String hospital, String department, SlotView.DoctorRef doctor, int fee,
                          OffsetDateTime createdAt, OffsetDateTime holdExpiresAt, OffsetDateTime paidAt,
                          OffsetDateTime cancelledAt, String cancelReason, OffsetDateTime expiredAt, OffsetDateTime checkedInAt,
                          OffsetDateTime completedAt, OffsetDateTime noShowAt, Boolean refundDue, UUID rescheduledTo,
                          UUID rescheduledFrom, UUID followUpOf, UUID waitlistEntryId, OffsetDateTime offerExpiresAt) {

    public static BookingJson of(Booking b, SlotView slot) {
        return new BookingJson(b.id, slot.id(), b.patientId, b.status, slot.start(), slot.end(), slot.hospital(),
                slot.department(), slot.doctor(), b.fee, HospitalTime.local(b.createdAt),
                b.status == BookingStatus.PENDING_PAYMENT ? HospitalTime.local(b.holdExpiresAt) : null,
                HospitalTime.local(b.paidAt), HospitalTime.local(b.cancelledAt), b.cancelReason, HospitalTime.local(b.expiredAt),
                HospitalTime.local(b.checkedInAt), HospitalTime.local(b.completedAt), HospitalTime.local(b.noShowAt),
                b.status == BookingStatus.CANCELLED || b.status == BookingStatus.CANCELLED_BY_HOSPITAL ? b.paidAt != null : null,
                b.rescheduledTo, b.rescheduledFrom, b.followUpOf, b.waitlistEntryId,
                b.waitlistEntryId != null && b.status.expires() ? HospitalTime.local(b.holdExpiresAt) : null);
    }
}
