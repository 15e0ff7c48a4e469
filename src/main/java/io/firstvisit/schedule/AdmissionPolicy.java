package io.firstvisit.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Duration;
import java.time.Instant;

/**
 * A department-day's admission, fixed by its first publication (release_admission). For QUEUE every field is set;
 * for FIRST_COME only the mode. It travels inside every {@link SlotView}, so the booking path knows it without a read.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdmissionPolicy(AdmissionMode mode, Integer preQueueMinutes, Integer admitPerSecond, Integer passMinutes) {

    public static final AdmissionPolicy FIRST_COME = new AdmissionPolicy(AdmissionMode.FIRST_COME, null, null, null);
    public static final int DEFAULT_PRE_QUEUE_MINUTES = 30;
    public static final int DEFAULT_ADMIT_PER_SECOND = 100;
    public static final int DEFAULT_PASS_MINUTES = 10;

    /** QUEUE with the defaults filled in where a field is null. */
    public static AdmissionPolicy queue(Integer preQueueMinutes, Integer admitPerSecond, Integer passMinutes) {
        return new AdmissionPolicy(AdmissionMode.QUEUE,
                preQueueMinutes == null ? DEFAULT_PRE_QUEUE_MINUTES : preQueueMinutes,
                admitPerSecond == null ? DEFAULT_ADMIT_PER_SECOND : admitPerSecond,
                passMinutes == null ? DEFAULT_PASS_MINUTES : passMinutes);
    }

    public boolean queued() {
        return mode == AdmissionMode.QUEUE;
    }

    /** When tickets can first be taken for a release at {@code releaseAt}. */
    public Instant queueOpensAt(Instant releaseAt) {
        return releaseAt.minus(Duration.ofMinutes(preQueueMinutes));
    }

    /** The time between two admissions: 1 s / admitPerSecond, in microseconds (what the line in Redis counts in). */
    public double intervalMicros() {
        return 1_000_000.0 / admitPerSecond;
    }

    /** When the ticket at 0-based {@code rank} among those drawn before the release is admitted. */
    public Instant admissionOf(Instant releaseAt, long rank) {
        return releaseAt.plusNanos(Math.round(rank * 1_000_000_000.0 / admitPerSecond));
    }

    public Duration pass() {
        return Duration.ofMinutes(passMinutes);
    }
}
