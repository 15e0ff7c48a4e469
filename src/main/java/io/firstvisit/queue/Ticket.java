package io.firstvisit.queue;

import io.firstvisit.schedule.AdmissionPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A ticket as the line placed it. Once its position is known it never changes (positions never move), so an
 * instance keeps it and answers polls without Redis. {@code admitAt} is set for a ticket at the back of the line;
 * {@code rank} (0-based) is null when the ticket was looked up before the release, when no position exists yet.
 */
public record Ticket(TicketId id, String account, Instant admitAt, Long rank) {

    /** How often a waiting app is told to look again, at most and at least. */
    static final Duration MAX_POLL = Duration.ofSeconds(30);
    static final Duration MIN_POLL = Duration.ofSeconds(1);
    /** Before the release everyone is told to look again just after it; spread over these seconds, not one instant. */
    static final int RELEASE_SPREAD_SECONDS = 5;

    /** Whether this copy still tells everything: a position, or a time before the release when there is none. */
    boolean current(Instant releaseAt, Instant now) {
        return rank != null || now.isBefore(releaseAt);
    }

    /** The ticket at {@code now}: state, position, and when to look again. */
    public Status status(AdmissionPolicy policy, Instant releaseAt, Instant now, boolean soldOut) {
        if (rank == null) {
            long untilRelease = Math.max(0, Duration.between(now, releaseAt).toSeconds());
            Duration retry = Duration.ofSeconds(Math.min(untilRelease, MAX_POLL.toSeconds())
                    + (untilRelease <= MAX_POLL.toSeconds() ? 1 + ThreadLocalRandom.current().nextInt(RELEASE_SPREAD_SECONDS) : 0));
            return new Status(TicketState.WAITING, null, null, null, null, retry);
        }
        Instant admission = admitAt != null ? admitAt : policy.admissionOf(releaseAt, rank);
        Instant until = admission.plus(policy.pass());
        int position = Math.toIntExact(rank + 1);
        if (now.isBefore(admission)) {
            Duration wait = Duration.between(now, admission);
            long ahead = Math.min(rank, (long) Math.ceil(wait.toNanos() / (1_000_000_000.0 / policy.admitPerSecond())));
            if (soldOut) {
                return new Status(TicketState.SOLD_OUT, position, ahead, admission, null, null);
            }
            Duration retry = clamp(wait.dividedBy(2));
            return new Status(TicketState.WAITING, position, ahead, admission, null, retry);
        }
        return now.isBefore(until)
                ? new Status(TicketState.ADMITTED, position, 0L, admission, until, null)
                : new Status(TicketState.EXPIRED, position, 0L, admission, until, null);
    }

    private static Duration clamp(Duration d) {
        Duration seconds = Duration.ofSeconds((d.toMillis() + 999) / 1000);
        return seconds.compareTo(MIN_POLL) < 0 ? MIN_POLL : seconds.compareTo(MAX_POLL) > 0 ? MAX_POLL : seconds;
    }

    /** {@code retryAfter} null: nothing will change by looking again soon. */
    public record Status(TicketState state, Integer position, Long ahead, Instant estimatedAdmitAt, Instant admittedUntil,
                         Duration retryAfter) {
    }
}
