package io.firstvisit.faults;

import io.firstvisit.faults.harness.Crowd;
import io.firstvisit.faults.harness.Release;

import java.time.Duration;
import java.util.List;

/**
 * The surge every fault scenario shares, sized for a 2-core machine: a few hundred distinct parents
 * on small slots, a steady stream plus one burst, and the fault right after the burst so that
 * reservations are in flight between Redis and PostgreSQL when it strikes.
 */
final class Surges {

    static final int SLOTS = 8;
    static final int CAPACITY = 25;
    static final int CROWD = 320;
    static final int BURST = 80;
    static final long START_MS = 300;
    static final long WINDOW_MS = 6_000;
    static final long BURST_AT_MS = 2_000;
    static final long FAULT_AT_MS = 2_100;
    static final int PROBE_CAPACITY = 20;
    static final int PROBE_PARENTS = 60;

    static final Duration REDIS_DOWN = Duration.ofSeconds(2);
    static final Duration POSTGRES_DOWN = Duration.ofSeconds(4);
    /** Long enough that waiting the stall out cannot hide inside a loaded machine's normal latency. */
    static final Duration REDIS_STALL = Duration.ofSeconds(8);
    /** Bookings must resume within this of a dependency's return (breakers wait 2-3 s before probing). */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
    /** "Fast" while a dependency is down: p99 well under the 10 s client timeout (or no slower than just before). */
    static final Duration FAST_P99 = Duration.ofSeconds(2);
    /**
     * While Redis is stalled, the designed answer is a 503 when a call's budget runs out
     * ({@link io.firstvisit.redis.GuardedRedis#TIMEOUT_MS}, 1.5 s), until the breakers open: one budget per
     * attempt, the seat's return and the idempotency bookkeeping do not hold the answer. On two shared cores
     * answers also wait for a thread, so the bound is the budget plus 1 s of scheduling: it still tells a
     * timeout from waiting out the 8 s stall.
     */
    static final Duration TIMEOUT_ANSWER_P99 = Duration.ofMillis(io.firstvisit.redis.GuardedRedis.TIMEOUT_MS + 1_000);

    private Surges() {
    }

    static List<Crowd.Planned> plan(Release release, int instances) {
        return Crowd.plan(release.crowd(), release.slots(), instances, START_MS, WINDOW_MS, BURST, BURST_AT_MS);
    }

    static long lastPlannedMs(List<Crowd.Planned> plan) {
        return plan.stream().mapToLong(Crowd.Planned::atMs).max().orElse(0);
    }
}
