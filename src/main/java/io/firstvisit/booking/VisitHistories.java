package io.firstvisit.booking;

import io.firstvisit.common.HospitalTime;
import io.firstvisit.inventory.InventoryKeys;
import io.firstvisit.redis.GuardedRedis;
import io.firstvisit.redis.LuaScript;
import io.firstvisit.schedule.SlotView;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Where the booking path finds a patient's {@link VisitHistory} without PostgreSQL: this instance's cache, then
 * Redis (one hash per patient, {@link InventoryKeys#seen}), shared by every instance.
 * <p>
 * <b>What each copy may be trusted with.</b> A COMPLETED visit is never undone, so a history only ever gains visits:
 * a visit found in a copy is true (a FIRST slot may refuse on it), while a visit missing from a copy may be a copy
 * that is behind. So a copy is never the last word on "not seen": on a FIRST slot PostgreSQL's INSERT re-checks
 * every row (BookingWriter), and a FOLLOW_UP refusal is only made on {@link #fromDatabase} (VisitEligibility).
 * Hence a missing key needs no "loaded" marker and no rebuild before admitting: it reads as "nothing known", which
 * the release minute's never-seen crowd costs one Redis read each, and never a PostgreSQL query.
 * <p>
 * <b>Staleness.</b> Redis is written when a visit completes, after its commit ({@link #completed}); a write Redis did
 * not take (down, timed out) leaves it behind until a refusal or a follow-up's check rebuilds it from PostgreSQL
 * ({@link #fromDatabase}, which replaces the hash: it also drops visits PostgreSQL does not have, e.g. after a
 * restore of the database from a backup). This instance's copy lags Redis by at most the {@value #CACHE} cache's
 * expire-after-write (30 s, application.properties); the instance that records a completion forgets its copy at once.
 * Either lag only costs a seat taken and given back when PostgreSQL refuses the row, never a wrong answer.
 * <p>
 * Keys expire once their latest visit can no longer matter to a bookable slot (its date + window + 2 days): a key
 * that expired reads as "nothing known", which is then the truth for every slot still bookable.
 */
@ApplicationScoped
public class VisitHistories {

    static final String CACHE = "visit-histories";
    private static final Logger LOG = Logger.getLogger(VisitHistories.class);
    /** Beyond the window: the slot's day itself, and a day for clocks that disagree. */
    private static final int KEEP_EXTRA_DAYS = 2;
    private static final String MERGE = "merge";
    private static final String REPLACE = "replace";

    private final GuardedRedis redis;
    private final InventoryKeys keys;
    private final VisitHistoryQueries queries;
    private final Cache cache;
    private final int windowDays;
    private final LuaScript merge = LuaScript.load("visit-history");

    public VisitHistories(GuardedRedis redis, InventoryKeys keys, VisitHistoryQueries queries, @CacheName(CACHE) Cache cache,
                          BookingConfig config) {
        this.redis = redis;
        this.keys = keys;
        this.queries = queries;
        this.cache = cache;
        this.windowDays = VisitRules.of(config).windowDays();
    }

    /**
     * The history as this instance or Redis knows it: at most one Redis read per patient per cache period, however
     * many attempts (concurrent misses share one read). A Redis failure is not cached and fails the attempt (503).
     */
    public Uni<VisitHistory> known(UUID patientId) {
        return cache.getAsync(patientId, id -> redis.hgetall(keys.seen(id)).map(VisitHistory::fromRedis));
    }

    /**
     * PostgreSQL's word: the history rebuilt from the patient's COMPLETED bookings, then written to Redis in place of
     * what it held (a Redis failure is logged, the answer stands) and kept as this instance's copy.
     */
    public Uni<VisitHistory> fromDatabase(UUID patientId) {
        return queries.lastVisits(patientId)
                .call(history -> write(patientId, history, REPLACE))
                .invoke(history -> cache.as(CaffeineCache.class).put(patientId, CompletableFuture.completedFuture(history)));
    }

    /** A visit in {@code slot} was completed and committed: Redis gains it, and this instance forgets its copy. */
    public Uni<Void> completed(UUID patientId, SlotView slot) {
        return write(patientId, VisitHistory.of(slot), MERGE).chain(() -> cache.invalidate(patientId));
    }

    /** This instance's copy is forgotten: the next attempt reads Redis. */
    public Uni<Void> forget(UUID patientId) {
        return cache.invalidate(patientId);
    }

    /**
     * {@code mode}: visit-history.lua's "merge" (only moves fields forward) or "replace". Never fails: a visit Redis
     * missed is found again by PostgreSQL's checks (see above).
     */
    private Uni<Void> write(UUID patientId, VisitHistory history, String mode) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(history.latest().map(this::keepUntil).orElse(0L)));
        args.add(mode);
        history.lastVisits().forEach((field, day) -> {
            args.add(field);
            args.add(Long.toString(day.toEpochDay()));
        });
        return redis.run(merge, List.of(keys.seen(patientId)), args)
                .onFailure().invoke(f -> LOG.warnf("Visit history of patient %s not written to Redis (PostgreSQL's checks cover it): %s",
                        patientId, f.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private long keepUntil(LocalDate latestVisit) {
        return latestVisit.plusDays(windowDays + KEEP_EXTRA_DAYS).atStartOfDay(HospitalTime.ZONE).toInstant().toEpochMilli();
    }
}
