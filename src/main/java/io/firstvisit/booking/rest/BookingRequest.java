package io.firstvisit.booking.rest;

import io.firstvisit.common.Ids;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * {@code followUpOf} (optional, FOLLOW_UP slots only): the id of the patient's COMPLETED booking this follow-up
 * continues; the new booking records it.
 */
public record BookingRequest(
        @NotNull @Pattern(regexp = Ids.UUID_PATTERN, message = "must be a slot id") String slotId,
        @NotNull @Pattern(regexp = Ids.UUID_PATTERN, message = "must be a patient id") String patientId,
        @Pattern(regexp = Ids.UUID_PATTERN, message = "must be a booking id") String followUpOf) {
}
