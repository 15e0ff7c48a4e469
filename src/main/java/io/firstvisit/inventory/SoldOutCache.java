package io.firstvisit.inventory;

import io.firstvisit.common.ExpiringHints;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.UUID;

/**
 * The sold-out fast path. Once this instance has seen a slot FULL, later attempts on it are answered
 * "sold-out" without a Redis round trip — at the release minute most of the crowd are such attempts.
 * <p>
 * A seat can come back (a cancellation, an expired reservation, a repair), so a FULL mark must never
 * outlive the truth for long. Two mechanisms, either one enough on its own:
 * <ul>
 *   <li>every mark expires after {@code firstvisit.inventory.sold-out-ttl} (1 s), after which the next
 *       attempt asks Redis again;</li>
 *   <li>whoever returns a seat publishes the slot on a Redis channel, and every instance drops its mark
 *       at once.</li>
 * </ul>
 * A lost message therefore costs at most one TTL of false "sold-out", never more.
 */
@ApplicationScoped
public class SoldOutCache {

    private static final Logger LOG = Logger.getLogger(SoldOutCache.class);

    /** Bounded: at most this many slots are remembered full at once (far more than a release has). */
    static final int MAX_MARKS = 100_000;

    private final ExpiringHints<UUID, Boolean> full;
    private final ReactivePubSubCommands<String> pubsub;
    private final String channel;
    private volatile ReactivePubSubCommands.ReactiveRedisSubscriber subscriber;
    private volatile boolean running = true;

    public SoldOutCache(ReactiveRedisDataSource redis, InventoryConfig config) {
        this.pubsub = redis.pubsub(String.class);
        this.channel = config.keyPrefix() + ":reopened";
        this.full = new ExpiringHints<>(config.soldOutTtl(), MAX_MARKS);
    }

    public boolean isFull(UUID slotId) {
        return full.get(slotId) != null;
    }

    public void markFull(UUID slotId) {
        full.put(slotId, Boolean.TRUE);
    }

    /** Seats came back to these slots: forget the marks here and tell every other instance. */
    public Uni<Void> reopen(Collection<UUID> slotIds) {
        slotIds.forEach(full::remove);
        return Uni.join().all(slotIds.stream().map(id -> pubsub.publish(channel, id.toString())).toList())
                .andCollectFailures()
                .onFailure().invoke(f -> LOG.debugf("Reopen broadcast failed (marks expire anyway): %s", f.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    void onStart(@Observes StartupEvent event) {
        subscribe();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        ReactivePubSubCommands.ReactiveRedisSubscriber current = subscriber;
        if (current != null) {
            current.unsubscribe().subscribe().with(ignored -> { }, ignored -> { });
        }
    }

    private void subscribe() {
        if (!running) {
            return;
        }
        pubsub.subscribe(channel, this::onReopened, this::resubscribeLater, failure -> resubscribeLater())
                .subscribe().with(s -> subscriber = s, failure -> {
                    LOG.debugf("Cannot subscribe to %s yet: %s", channel, failure.toString());
                    resubscribeLater();
                });
    }

    private void resubscribeLater() {
        if (running) {
            Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofSeconds(1))
                    .subscribe().with(ignored -> subscribe());
        }
    }

    private void onReopened(String slotId) {
        try {
            full.remove(UUID.fromString(slotId));
        } catch (IllegalArgumentException ignored) {
            // not one of ours
        }
    }
}
