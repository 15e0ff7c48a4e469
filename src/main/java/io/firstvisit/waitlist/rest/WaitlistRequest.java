package io.firstvisit.waitlist.rest;

import io.firstvisit.common.Ids;
import io.firstvisit.common.Text;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** Join the waitlist of {@code hospital}'s {@code department} on {@code date} (YYYY-MM-DD, Asia/Shanghai) for a patient. */
public record WaitlistRequest(
        @NotNull @Pattern(regexp = Text.CODE, message = Text.CODE_MESSAGE) String hospital,
        @NotNull @Pattern(regexp = Text.CODE, message = Text.CODE_MESSAGE) String department,
        @NotNull @Pattern(regexp = "^\\d{4}-\\d{2}-\\d{2}$", message = "must be a calendar date YYYY-MM-DD") String date,
        @NotNull @Pattern(regexp = Ids.UUID_PATTERN, message = "must be a patient id") String patientId) {
}
