package io.firstvisit.event;

import io.firstvisit.common.HospitalTime;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the booking outbox ({@code booking_event}, written by triggers in the transaction of each change)
 * in a stable order a consumer can resume from. Events are ordered by (transaction id, id) and handed out
 * only once every transaction that began before theirs has ended, so an event committed late can never
 * land behind a cursor a consumer already holds.
 */
@ApplicationScoped
public class BookingEvents {

    private static final String AFTER = """
            SELECT id, event_id, tx::text AS tx, booking_id, type, payload::text AS payload, at
              FROM booking_event
             WHERE (tx, id) > ($1::text::xid8, $2)
               AND tx < pg_snapshot_xmin(pg_current_snapshot())
             ORDER BY tx, id
             LIMIT $3
            """;

    private final Pool pool;

    public BookingEvents(Pool pool) {
        this.pool = pool;
    }

    /** Where a consumer is: after the event at (tx, id). {@link #START} is before everything. */
    public record Cursor(long tx, long id) {
        public static final Cursor START = new Cursor(0, 0);

        /** "tx-id", as handed out with each event; empty when the text is not one. */
        public static Optional<Cursor> parse(String text) {
            int dash = text.indexOf('-');
            if (dash <= 0 || dash == text.length() - 1 || text.length() > 41) {
                return Optional.empty();
            }
            try {
                long tx = Long.parseLong(text.substring(0, dash));
                long id = Long.parseLong(text.substring(dash + 1));
                return tx < 0 || id < 0 ? Optional.empty() : Optional.of(new Cursor(tx, id));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return tx + "-" + id;
        }
    }

    /**
     * An event as consumers see it: a stable {@code id} (deduplicate on it: delivery is at least once),
     * the {@code cursor} to resume after it, and {@code data} as the trigger wrote it.
     */
    public record Event(String id, String cursor, String type, String bookingId, java.time.OffsetDateTime at, String data) {
    }

    public Uni<List<Event>> after(Cursor cursor, int limit) {
        return pool.preparedQuery(AFTER).execute(Tuple.of(Long.toString(cursor.tx()), cursor.id(), limit)).map(rows -> {
            List<Event> events = new ArrayList<>(rows.size());
            for (Row row : rows) {
                Cursor at = new Cursor(Long.parseLong(row.getString("tx")), row.getLong("id"));
                events.add(new Event(row.getUUID("event_id").toString(), at.toString(), row.getString("type"),
                        row.getUUID("booking_id").toString(), HospitalTime.local(row.getOffsetDateTime("at").toInstant()),
                        row.getString("payload")));
            }
            return events;
        });
    }
}
