package io.firstvisit.queue;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** queue_ticket: the record of every ticket, written before Redis places it, and what a lost line is rebuilt from. */
@ApplicationScoped
public class TicketQueries {

    private static final String COLUMNS = "id, account_id, draw, joined, admit_at, department_id, visit_date, superseded_at";

    /**
     * The account's current ticket for the day: the one it has, or this new one. One statement: the INSERT yields
     * nothing when the account already has a ticket (the partial unique index), and the SELECT then finds it.
     */
    private static final String TAKE = """
            WITH taken AS (
                INSERT INTO queue_ticket (id, department_id, visit_date, account_id, draw, created_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (department_id, visit_date, account_id) WHERE superseded_at IS NULL DO NOTHING
                RETURNING %1$s)
            SELECT %1$s FROM taken
            UNION ALL
            SELECT %1$s FROM queue_ticket
             WHERE department_id = $2 AND visit_date = $3 AND account_id = $4 AND superseded_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM taken)
            """.formatted(COLUMNS);

    private final Pool pool;

    public TicketQueries(Pool pool) {
        this.pool = pool;
    }

    /** A ticket row. {@code joined}/{@code admitAt} are null until Redis placed it at the back of the line. */
    public record TicketRow(UUID id, String account, Double draw, Long joined, Instant admitAt, UUID departmentId,
                            LocalDate date, Instant supersededAt) {
    }

    public Uni<TicketRow> take(UUID id, UUID departmentId, LocalDate date, String account, Double draw, Instant now) {
        return pool.preparedQuery(TAKE).execute(Tuple.from(new Object[]{id, departmentId, date, account, draw, utc(now)}))
                .map(rows -> {
                    // Two racing first requests: the loser's INSERT waited, and its SELECT's snapshot predates the winner.
                    if (rows.size() == 0) {
                        throw new ConcurrentTake();
                    }
                    return row(rows.iterator().next());
                });
    }

    /** Thrown when a concurrent first request of the same account won the insert: asking again finds its ticket. */
    public static final class ConcurrentTake extends RuntimeException {
        ConcurrentTake() {
            super("concurrent first ticket of the same account", null, false, false);
        }
    }

    /** Redis placed the ticket at the back: record where, once (a placement is never changed). */
    public Uni<Void> placed(UUID id, long joined, Instant admitAt) {
        return pool.preparedQuery("UPDATE queue_ticket SET joined = $2, admit_at = $3 WHERE id = $1 AND joined IS NULL")
                .execute(Tuple.of(id, joined, utc(admitAt))).replaceWithVoid();
    }

    /** The ticket stops being the account's (its pass expired unused); it keeps its place in the line. */
    public Uni<Void> supersede(UUID id, Instant now) {
        return pool.preparedQuery("UPDATE queue_ticket SET superseded_at = $2 WHERE id = $1 AND superseded_at IS NULL")
                .execute(Tuple.of(id, utc(now))).replaceWithVoid();
    }

    public Uni<Optional<TicketRow>> byId(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM queue_ticket WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(row(rows.iterator().next())));
    }

    /** Every ticket of a department-day, superseded ones included: they keep their places. */
    public Uni<List<TicketRow>> byDay(UUID departmentId, LocalDate date) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM queue_ticket WHERE department_id = $1 AND visit_date = $2")
                .execute(Tuple.of(departmentId, date))
                .map(TicketQueries::rows);
    }

    private static List<TicketRow> rows(RowSet<Row> rows) {
        List<TicketRow> out = new ArrayList<>(rows.size());
        rows.forEach(row -> out.add(row(row)));
        return out;
    }

    private static TicketRow row(Row row) {
        return new TicketRow(row.getUUID("id"), row.getString("account_id"), row.getDouble("draw"), row.getLong("joined"),
                instant(row.getOffsetDateTime("admit_at")), row.getUUID("department_id"), row.getLocalDate("visit_date"),
                instant(row.getOffsetDateTime("superseded_at")));
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
