package io.firstvisit.support;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Direct reads of PostgreSQL, to check what the API claims against the record. */
public final class Database {

    private Database() {
    }

    public static long activeBookings(Pool pool, String slotId) {
        return pool.preparedQuery("SELECT count(*) FROM booking WHERE slot_id = $1 AND active")
                .execute(Tuple.of(UUID.fromString(slotId)))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }

    public static long distinctActiveSeats(Pool pool, String slotId) {
        return pool.preparedQuery("SELECT count(DISTINCT seat) FROM booking WHERE slot_id = $1 AND active")
                .execute(Tuple.of(UUID.fromString(slotId)))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }

    public static long bookingRows(Pool pool, String bookingId) {
        return pool.preparedQuery("SELECT count(*) FROM booking WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(bookingId)))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }

    /** The booking's outbox events' types, in the order they were written. */
    public static List<String> eventTypes(Pool pool, String bookingId) {
        return column(pool, "SELECT type FROM booking_event WHERE booking_id = $1 ORDER BY id", bookingId);
    }

    /** The payload of the booking's latest event of {@code type}, as the trigger wrote it (JSON text). */
    public static String eventPayload(Pool pool, String bookingId, String type) {
        return pool.preparedQuery("SELECT payload::text FROM booking_event WHERE booking_id = $1 AND type = $2 ORDER BY id DESC LIMIT 1")
                .execute(Tuple.of(UUID.fromString(bookingId), type))
                .map(rows -> rows.iterator().next().getString(0))
                .await().atMost(Duration.ofSeconds(10));
    }

    /** The booking's audit lines as "ACTION by account", oldest first. */
    public static List<String> auditLines(Pool pool, String bookingId) {
        return column(pool, "SELECT action || ' by ' || coalesce(account_id, '-') FROM booking_audit WHERE booking_id = $1 ORDER BY id", bookingId);
    }

    /** The generated column {@code active} of the booking, as PostgreSQL computes it. */
    public static boolean active(Pool pool, String bookingId) {
        return pool.preparedQuery("SELECT active FROM booking WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(bookingId)))
                .map(rows -> rows.iterator().next().getBoolean(0))
                .await().atMost(Duration.ofSeconds(10));
    }

    private static List<String> column(Pool pool, String sql, String bookingId) {
        return pool.preparedQuery(sql)
                .execute(Tuple.of(UUID.fromString(bookingId)))
                .map(rows -> {
                    List<String> values = new ArrayList<>();
                    rows.forEach(row -> values.add(row.getString(0)));
                    return values;
                })
                .await().atMost(Duration.ofSeconds(10));
    }
}
