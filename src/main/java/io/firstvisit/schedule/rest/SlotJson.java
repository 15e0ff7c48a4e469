package io.firstvisit.schedule.rest;

import io.firstvisit.schedule.AdmissionPolicy;
import io.firstvisit.schedule.SlotStatus;
import io.firstvisit.schedule.SlotView;
import io.firstvisit.schedule.VisitType;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A slot as the v1 API shows it; {@code fee} in fen (0: free). {@code admission} is its department-day's (QUEUE: book
 * through the waiting room, tickets from {@code queueOpensAt}).
 */
public record SlotJson(UUID id, String hospital, String department, SlotView.DoctorRef doctor, OffsetDateTime start,
                       OffsetDateTime end, VisitType visitType, int capacity, int remaining, OffsetDateTime releaseAt,
                       SlotStatus status, int fee, AdmissionPolicy admission, OffsetDateTime queueOpensAt) {

    public static SlotJson of(SlotView v, int remaining, SlotStatus status) {
        AdmissionPolicy admission = v.admission();
        return new SlotJson(v.id(), v.hospital(), v.department(), v.doctor(), v.start(), v.end(), v.visitType(),
                v.capacity(), remaining, v.releaseAt(), status, v.fee(), admission,
                admission.queued() ? v.releaseAt().minusMinutes(admission.preQueueMinutes()) : null);
    }
}
