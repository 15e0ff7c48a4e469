package io.firstvisit.booking.rest;

import io.firstvisit.common.Ids;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** Where a booking moves: another slot of the same hospital and department. */
public record RescheduleRequest(@NotNull @Pattern(regexp = Ids.UUID_PATTERN, message = "must be a slot id") String slotId) {
}
