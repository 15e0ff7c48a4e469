package io.firstvisit.booking;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * The SQL of visit outcomes ({@link VisitOutcomes}). PostgreSQL decides each move: the UPDATE applies only while
 * the row is still in the outcome's starting status, so of two requests racing on one booking (a check-in and
 * a no-show, two schedulers, a retry and its original) exactly one changes it. The loser's UPDATE waits for the
 * winner's row lock, re-reads the committed row, no longer matches, and changes nothing. The audit line is
 * written by the same statement; the event (booking.checked_in / .completed / .no_show) by the table's trigger
 * (V4), in the same transaction.
 */
@ApplicationScoped
public class VisitOutcomeQueries {

    /** %1$s: the outcome's time column; %2$s: the columns returned; %3$s: the audit reason (SQL over the row). */
    private static final String MOVE = """
            WITH moved AS (
                UPDATE booking SET status = $3, %1$s = $4
                 WHERE id = $1 AND status = $2
                RETURNING %2$s
            ), audited AS (
                INSERT INTO booking_audit (booking_id, slot_id, account_id, action, reason)
                SELECT id, slot_id, $5, $3, %3$s FROM moved
            )
            SELECT * FROM moved
            """;

    private static final Map<VisitOutcome, String> MOVES = new EnumMap<>(VisitOutcome.class);

    static {
        for (VisitOutcome outcome : VisitOutcome.values()) {
            MOVES.put(outcome, switch (outcome) {
                case CHECK_IN -> MOVE.formatted("checked_in_at", BookingQueries.COLUMNS,
                        "'patient checked in by the hospital; seat ' || seat");
                case COMPLETE -> MOVE.formatted("completed_at", BookingQueries.COLUMNS,
                        "'visit completed; seat ' || seat");
                // The seat is not returned: the slot has started, nobody else can use that place.
                case NO_SHOW -> MOVE.formatted("no_show_at", BookingQueries.COLUMNS,
                        "'patient did not come after the slot started; seat ' || seat || ' not returned'");
            });
        }
    }

    private static final String FIND = "SELECT " + BookingQueries.COLUMNS + " FROM booking WHERE id = $1";

    private final Pool pool;

    public VisitOutcomeQueries(Pool pool) {
        this.pool = pool;
    }

    /** Any booking, as it is now; null when there is none. */
    public Uni<Booking> find(UUID bookingId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(bookingId)).map(BookingQueries::first);
    }

    /**
     * Moves the booking from {@code outcome.from()} to {@code outcome.to()} at {@code at}, recorded as done by
     * {@code scheduler}. The moved row, or null when the booking was not in {@code outcome.from()} (any more).
     */
    public Uni<Booking> move(VisitOutcome outcome, UUID bookingId, Instant at, String scheduler) {
        return pool.preparedQuery(MOVES.get(outcome))
                .execute(Tuple.of(bookingId, outcome.from().name(), outcome.to().name(), at.atOffset(ZoneOffset.UTC), scheduler))
                .map(BookingQueries::first);
    }
}
