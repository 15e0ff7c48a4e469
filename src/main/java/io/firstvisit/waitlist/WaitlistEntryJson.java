package io.firstvisit.waitlist;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A waitlist entry as the v1 API shows it. {@code position} (1 = next to be offered a place) is set while it is
 * WAITING; {@code bookingId} and {@code offerExpiresAt} once a place was offered (the booking is the offer: accept
 * it with POST /bookings/{id}/accept on a free slot, or pay for it on a paid one).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WaitlistEntryJson(UUID id, String hospital, String department, LocalDate date, UUID patientId,
                                WaitlistState state, Integer position, OffsetDateTime createdAt, OffsetDateTime offeredAt,
                                UUID bookingId, OffsetDateTime offerExpiresAt, OffsetDateTime leftAt, String closedReason) {
}
