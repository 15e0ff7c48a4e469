package io.firstvisit.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Webhook registrations and their deliveries (V5). */
@ApplicationScoped
public class WebhookQueries {

    /**
     * Claims due deliveries for one attempt each. Per booking and webhook only the oldest pending delivery
     * is ever due (NOT EXISTS), so events arrive in order per booking. A claim pushes next_attempt_at past
     * the attempt's end: another instance leaves it alone meanwhile, and if this one dies mid-attempt the
     * delivery is due again after that (at least once). SKIP LOCKED: instances claim different rows.
     */
    private static final String CLAIM = """
            WITH due AS (
                SELECT d.id FROM webhook_delivery d
                  JOIN webhook w ON w.id = d.webhook_id AND w.removed_at IS NULL
                 WHERE d.state = 'PENDING' AND d.next_attempt_at <= $1
                   AND NOT EXISTS (SELECT 1 FROM webhook_delivery e
                                    WHERE e.webhook_id = d.webhook_id AND e.booking_id = d.booking_id
                                      AND e.state = 'PENDING' AND e.id < d.id)
                 ORDER BY d.next_attempt_at, d.id
                 LIMIT $2
                 FOR UPDATE OF d SKIP LOCKED
            ), claimed AS (
                UPDATE webhook_delivery d SET attempts = d.attempts + 1, next_attempt_at = $3
                  FROM due WHERE d.id = due.id
                RETURNING d.id, d.webhook_id, d.event_id, d.attempts
            )
            SELECT c.id, c.attempts, w.url, w.secret, ev.event_id, ev.type, ev.booking_id, ev.payload::text AS payload, ev.at
              FROM claimed c
              JOIN webhook w ON w.id = c.webhook_id
              JOIN booking_event ev ON ev.id = c.event_id
             ORDER BY c.id
            """;

    private static final String DELIVERED = """
            UPDATE webhook_delivery SET state = 'DELIVERED', delivered_at = $2, last_status = $3, last_error = NULL
             WHERE id = $1 AND state = 'PENDING'
            """;

    private static final String ATTEMPT_FAILED = """
            UPDATE webhook_delivery
               SET last_status = $2, last_error = $3, next_attempt_at = $4,
                   state = CASE WHEN attempts >= $5 THEN 'FAILED' ELSE 'PENDING' END
             WHERE id = $1 AND state = 'PENDING'
            RETURNING state
            """;

    private static final String REGISTER = """
            INSERT INTO webhook (id, url, events, secret, created_by) VALUES ($1, $2, $3, $4, $5)
            RETURNING id, url, events, created_at
            """;

    private static final String LIST = "SELECT id, url, events, created_at FROM webhook WHERE removed_at IS NULL ORDER BY created_at, id";

    private static final String REMOVE = """
            WITH removed AS (
                UPDATE webhook SET removed_at = $2 WHERE id = $1 AND removed_at IS NULL RETURNING id
            )
            UPDATE webhook_delivery SET state = 'FAILED', last_error = 'webhook removed'
             WHERE webhook_id IN (SELECT id FROM removed) AND state = 'PENDING'
            """;

    private static final String EXISTS = "SELECT removed_at IS NULL FROM webhook WHERE id = $1";

    private static final String DELIVERIES = """
            SELECT d.id, d.state, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.delivered_at,
                   ev.event_id, ev.type, ev.booking_id
              FROM webhook_delivery d JOIN booking_event ev ON ev.id = d.event_id
             WHERE d.webhook_id = $1 AND ($2::text IS NULL OR d.state = $2) AND d.id > $3
             ORDER BY d.id
             LIMIT $4
            """;

    private final Pool pool;

    public WebhookQueries(Pool pool) {
        this.pool = pool;
    }

    /** One delivery claimed for one attempt, with what to send and where. */
    public record Claimed(long id, int attempt, String url, String secret, UUID eventId, String type, UUID bookingId,
                          String payload, OffsetDateTime at) {
    }

    public record Registered(UUID id, String url, List<String> events, OffsetDateTime createdAt) {
    }

    public record Delivery(long id, String state, int attempts, OffsetDateTime nextAttemptAt, Integer lastStatus, String lastError,
                           OffsetDateTime deliveredAt, UUID eventId, String type, UUID bookingId) {
    }

    public Uni<List<Claimed>> claim(Instant now, int limit, Instant leaseEnd) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(utc(now), limit, utc(leaseEnd))).map(rows -> {
            List<Claimed> claimed = new ArrayList<>(rows.size());
            for (Row row : rows) {
                claimed.add(new Claimed(row.getLong("id"), row.getInteger("attempts"), row.getString("url"), row.getString("secret"),
                        row.getUUID("event_id"), row.getString("type"), row.getUUID("booking_id"), row.getString("payload"),
                        row.getOffsetDateTime("at")));
            }
            return claimed;
        });
    }

    public Uni<Void> delivered(long id, Instant at, int status) {
        return pool.preparedQuery(DELIVERED).execute(Tuple.of(id, utc(at), status)).replaceWithVoid();
    }

    /** Records a failed attempt; true when it was the last one (the delivery is now FAILED). */
    public Uni<Boolean> attemptFailed(long id, Integer status, String error, Instant nextAttempt, int maxAttempts) {
        return pool.preparedQuery(ATTEMPT_FAILED)
                .execute(Tuple.tuple(Arrays.<Object>asList(id, status, error, utc(nextAttempt), maxAttempts)))
                .map(rows -> rows.size() > 0 && "FAILED".equals(rows.iterator().next().getString(0)));
    }

    public Uni<Registered> register(UUID id, String url, List<String> events, String secret, String createdBy) {
        return pool.preparedQuery(REGISTER).execute(Tuple.of(id, url, events.toArray(String[]::new), secret, createdBy))
                .map(rows -> registered(rows.iterator().next()));
    }

    public Uni<List<Registered>> list() {
        return pool.preparedQuery(LIST).execute().map(rows -> {
            List<Registered> all = new ArrayList<>(rows.size());
            rows.forEach(row -> all.add(registered(row)));
            return all;
        });
    }

    /** Stops deliveries to a webhook; its pending ones are kept as FAILED. False when there is no such webhook. */
    public Uni<Boolean> remove(UUID id, Instant now) {
        return pool.preparedQuery(REMOVE).execute(Tuple.of(id, utc(now))).chain(() -> exists(id)).map(found -> found != null);
    }

    /** True (registered), false (removed) or null (never registered). */
    public Uni<Boolean> exists(UUID id) {
        return pool.preparedQuery(EXISTS).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBoolean(0));
    }

    public Uni<List<Delivery>> deliveries(UUID webhookId, String state, long after, int limit) {
        return pool.preparedQuery(DELIVERIES).execute(Tuple.tuple(Arrays.<Object>asList(webhookId, state, after, limit))).map(rows -> {
            List<Delivery> all = new ArrayList<>(rows.size());
            for (Row row : rows) {
                all.add(new Delivery(row.getLong("id"), row.getString("state"), row.getInteger("attempts"),
                        row.getOffsetDateTime("next_attempt_at"), row.getInteger("last_status"), row.getString("last_error"),
                        row.getOffsetDateTime("delivered_at"), row.getUUID("event_id"), row.getString("type"), row.getUUID("booking_id")));
            }
            return all;
        });
    }

    private static Registered registered(Row row) {
        return new Registered(row.getUUID("id"), row.getString("url"), Arrays.asList(row.getArrayOfStrings("events")),
                row.getOffsetDateTime("created_at"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
