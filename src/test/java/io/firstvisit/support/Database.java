package io.firstvisit.support;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
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
}
