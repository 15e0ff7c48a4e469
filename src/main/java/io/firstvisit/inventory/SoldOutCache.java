package io.firstvisit.inventory;

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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

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

    private final Map<UUID, Long> fullUntil = new ConcurrentHashMap<>();
    private final ReactivePubSubCommands<String> pubsub;
    private final String channel;
    private final long ttlNanos;
    private volatile ReactivePubSubCommands.ReactiveRedisSubscriber subscriber;
    private volatile boolean running = true;

    public SoldOutCache(ReactiveRedisDataSource redis, InventoryConfig config) {
        this.pubsub = redis.pubsub(String.class);
        this.channel = config.keyPrefix() + ":reopened";
        this.ttlNanos = config.soldOutTtl().toNanos();
    }

    public boolean isFull(UUID slotId) {
        Long until = fullUntil.get(slotId);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until > 0) {
            fullUntil.remove(slotId, until);
            return false;
        }
        return true;
    }

    public void markFull(UUID slotId) {
        fullUntil.put(slotId, System.nanoTime() + ttlNanos);
    }

    /** Seats came back to these slots: forget the marks here and tell every other instance. */
    public Uni<Void> reopen(Collection<UUID> slotIds) {
        slotIds.forEach(fullUntil::remove);
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
            fullUntil.remove(UUID.fromString(slotId));
        } catch (IllegalArgumentException ignored) {
            // not one of ours
        }
    }
}
