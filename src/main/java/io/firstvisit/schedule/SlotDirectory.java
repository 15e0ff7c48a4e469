package io.firstvisit.schedule;

import io.firstvisit.redis.GuardedRedis;
import io.firstvisit.common.JsonCodec;
import io.firstvisit.problem.Problem;
import io.firstvisit.inventory.InventoryConfig;
import io.firstvisit.inventory.InventoryKeys;
import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Finds a slot by id for the booking path: this instance's cache, then Redis, then (only if Redis lost
 * it) PostgreSQL. Slots are immutable once published, so a cached view never goes stale.
 */
@ApplicationScoped
public class SlotDirectory {

    private final GuardedRedis redis;
    private final InventoryKeys keys;
    private final InventoryConfig config;
    private final SlotQueries queries;
    private final JsonCodec json;

    public SlotDirectory(GuardedRedis redis, InventoryKeys keys, InventoryConfig config, SlotQueries queries, JsonCodec json) {
        this.redis = redis;
        this.keys = keys;
        this.config = config;
        this.queries = queries;
        this.json = json;
    }

    /** The slot's view, or a 404 {@code slot-not-found} problem. Failures are not cached. */
    @CacheResult(cacheName = "slot-views")
    public Uni<SlotView> find(UUID id) {
        return redis.get(keys.slotView(id)).flatMap(cached -> {
            if (cached != null) {
                return Uni.createFrom().item(parse(cached));
            }
            return queries.byId(id).flatMap(found -> found
                    .map(view -> remember(List.of(view)).replaceWith(view))
                    .orElseGet(() -> Uni.createFrom().failure(Problem.notFound("slot-not-found"))));
        });
    }

    /** Publishes views to Redis so that every instance finds them without PostgreSQL. */
    public Uni<Void> remember(List<SlotView> views) {
        if (views.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(views.stream().map(view -> redis.set(List.of(keys.slotView(view.id()), json(view),
                        "PXAT", Long.toString(expiry(view)))).replaceWithVoid()).toList())
                .usingConcurrencyOf(32).andFailFast().replaceWithVoid();
    }

    public String json(SlotView view) {
        return json.write(view);
    }

    public SlotView parse(String text) {
        return json.read(text, SlotView.class);
    }

    private long expiry(SlotView view) {
        return view.date().plusDays(config.retentionDays()).atStartOfDay().toInstant(ZoneOffset.ofHours(8)).toEpochMilli();
    }
}
