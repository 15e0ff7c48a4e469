package io.firstvisit.event;

import io.firstvisit.common.HospitalTime;
import io.firstvisit.event.BookingEvents.Cursor;
import io.firstvisit.event.BookingEvents.Event;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** The booking outbox ({@code booking_event}) read from PostgreSQL, in the order {@link BookingEvents} promises. */
@ApplicationScoped
class BookingEventQueries {

    /** Only transactions older than every one still running: an event committed late cannot land behind a cursor. */
    private static final String AFTER = """
            SELECT id, event_id, tx::text AS tx, booking_id, type, payload::text AS payload, at
              FROM booking_event
             WHERE (tx, id) > ($1::text::xid8, $2)
               AND tx < pg_snapshot_xmin(pg_current_snapshot())
             ORDER BY tx, id
             LIMIT $3
            """;

    private final Pool pool;

    BookingEventQueries(Pool pool) {
        this.pool = pool;
    }

    Uni<List<Event>> after(Cursor cursor, int limit) {
        return pool.preparedQuery(AFTER).execute(Tuple.of(Long.toString(cursor.tx()), cursor.id(), limit)).map(rows -> {
            List<Event> events = new ArrayList<>(rows.size());
            for (Row row : rows) {
                events.add(event(row));
            }
            return events;
        });
    }

    private static Event event(Row row) {
        Cursor at = new Cursor(Long.parseLong(row.getString("tx")), row.getLong("id"));
        return new Event(row.getUUID("event_id").toString(), at.toString(), row.getString("type"),
                row.getUUID("booking_id").toString(), HospitalTime.local(row.getOffsetDateTime("at").toInstant()),
                row.getString("payload"));
    }
}
