package io.firstvisit.booking.rest;

import io.firstvisit.common.Ids;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

public record BookingRequest(
        @NotNull @Pattern(regexp = Ids.UUID_PATTERN, message = "must be a slot id") String slotId,
        @NotNull @Pattern(regexp = Ids.UUID_PATTERN, message = "must be a patient id") String patientId) {
}
