package io.firstvisit.booking;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.schedule.SlotView;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A booking as the v1 API shows it. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BookingJson(UUID id, UUID slotId, UUID patientId, BookingStatus status, OffsetDateTime start,
                          OffsetDateTime end, String hospital, String department, SlotView.DoctorRef doctor,
                          OffsetDateTime createdAt, OffsetDateTime cancelledAt) {

    public static BookingJson of(UUID id, UUID patientId, BookingStatus status, SlotView slot, Instant createdAt,
                                 Instant cancelledAt) {
        return new BookingJson(id, slot.id(), patientId, status, slot.start(), slot.end(), slot.hospital(),
                slot.department(), slot.doctor(), HospitalTime.local(createdAt), HospitalTime.local(cancelledAt));
    }
}
