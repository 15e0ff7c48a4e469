package io.firstvisit.faults.harness;

/**
 * What one booking attempt got back, on the scenario's {@link Timeline}.
 *
 * @param keyed     whether the attempt carried an Idempotency-Key
 * @param status    the HTTP status, or {@link #NO_ANSWER} (connection refused or reset, e.g. the instance
 *                  was killed) or {@link #TIMED_OUT} (nothing within the client timeout: a hang)
 * @param problem   the last segment of a problem's {@code type} ("sold-out"), or the client-side error
 * @param bookingId the booking id of a 201, else null
 */
public record Answer(String phase, int instance, boolean keyed, String patientId, String slotId, int status, long startMs, long endMs,
                     String retryAfter, String bookingId, String problem) {

    public static final int NO_ANSWER = 0;
    public static final int TIMED_OUT = -1;

    public long latencyMs() {
        return endMs - startMs;
    }

    public boolean created() {
        return status == 201;
    }

    /** Started while the fault was in effect. */
    public boolean startedWithin(long fromMs, long toMs) {
        return startMs >= fromMs && startMs < toMs;
    }
}
