package io.firstvisit.event;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

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

    private final BookingEventQueries queries;

    public BookingEvents(BookingEventQueries queries) {
        this.queries = queries;
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
        return queries.after(cursor, limit);
    }
}
