package io.firstvisit.faults.harness;

import java.time.Duration;

/** Milliseconds since the scenario began: requests, faults and recoveries all share this clock. */
public final class Timeline {

    private final long origin = System.nanoTime();

    public long nowMs() {
        return msOf(System.nanoTime());
    }

    public long msOf(long nanoTime) {
        return Duration.ofNanos(nanoTime - origin).toMillis();
    }

    /** Sleeps until {@code ms} after the origin (returns at once if that moment has passed). */
    public void sleepUntil(long ms) {
        Commands.pause(Duration.ofMillis(ms - nowMs()));
    }
}
