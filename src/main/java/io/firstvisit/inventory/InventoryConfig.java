package io.firstvisit.inventory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "firstvisit.inventory")
public interface InventoryConfig {

    /** Prefix of every Redis key the service writes; lets several environments share one Redis. */
    @WithDefault("fv")
    String keyPrefix();

    /**
     * How long a reservation may wait for its PostgreSQL commit. After that the reaper asks PostgreSQL
     * and returns the seat if no booking row exists (I3). Must exceed the booking write timeout.
     */
    @WithDefault("30s")
    Duration reservationTimeout();

    /** How often each instance looks for overdue reservations (read by {@link ReservationReaper}). */
    @WithDefault("5s")
    Duration reaperInterval();

    /** How often each instance compares Redis with PostgreSQL and repairs drift. */
    @WithDefault("60s")
    Duration reconcileInterval();

    /** How long after start the first scheduled reconciliation runs (one also runs at start-up). */
    @WithDefault("30s")
    Duration reconcileDelay();

    /**
     * How long this instance answers "sold-out" for a slot it saw full without asking Redis again. A
     * returned seat reopens the slot on every instance at once (Redis pub/sub); this bounds a missed message.
     */
    @WithDefault("1s")
    Duration soldOutTtl();

    /**
     * How long this instance reuses a department-day's availability read from Redis. Availability is
     * what parents poll (most of the traffic); bookings always decide in Redis, never on this copy.
     */
    @WithDefault("500ms")
    Duration availabilityTtl();

    /** How many days after its date a department-day's keys stay in Redis. */
    @WithDefault("2")
    int retentionDays();
}
