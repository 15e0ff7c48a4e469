package io.firstvisit.scale;

import io.firstvisit.faults.harness.Crowd;
import io.firstvisit.faults.harness.Release;

import java.util.List;

/**
 * The surge the scale scenarios share, sized for a 2-core machine running every process: more parents
 * than places, a burst of simultaneous double taps, then a steady stream.
 */
final class ScaleSurge {

    static final int SLOTS = 8;
    static final int CAPACITY = 25;
    static final int PARENTS = 300;
    static final int BURST = 100;
    static final long BURST_AT_MS = 1_000;
    static final long START_MS = 300;
    static final long WINDOW_MS = 6_000;
    static final int PROBE_CAPACITY = 20;

    private ScaleSurge() {
    }

    /** Every parent taps twice at once, on two instances, for two slots of one department-day. */
    static List<Crowd.Planned> doubleTaps(Release release, int instances, int days) {
        return Crowd.doubleTaps(release.crowd(), release.slots(), instances, days, BURST, BURST_AT_MS, START_MS, WINDOW_MS);
    }

    static long lastPlannedMs(List<Crowd.Planned> plan) {
        return plan.stream().mapToLong(Crowd.Planned::atMs).max().orElse(0);
    }
}
