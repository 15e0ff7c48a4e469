package io.firstvisit.booking;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "firstvisit.booking")
public interface BookingConfig {

    /** Most booking rows committed in one transaction. */
    @WithDefault("256")
    int batchMaxSize();

    /** Transactions in flight at once; each holds one PostgreSQL connection. */
    @WithDefault("4")
    int concurrentBatches();

    /** Winners waiting for a transaction at most; past this the writer sheds load (503). */
    @WithDefault("4096")
    int writeQueueLimit();

    /**
     * Most active bookings one account may hold in one department of one hospital on one date, whatever
     * patients it books for. Enforced in reserve.lua, so it holds across every instance.
     */
    @WithDefault("3")
    int maxPerAccountDay();

    /** How long a booking on a paid slot holds its seat waiting for the payment (PENDING_PAYMENT). */
    @WithDefault("15m")
    Duration paymentWindow();

    /** Until how long before its slot starts a booking may be rescheduled. */
    @WithDefault("2h")
    Duration changeCutoff();

    /**
     * A FOLLOW_UP slot is for a patient whose visit in the same hospital and department was COMPLETED at most this
     * long before the slot's date (whole days; {@link VisitRules}). The same window tells a FIRST slot who was
     * already seen.
     */
    @WithDefault("180d")
    Duration followUpWindow();

    /** A FIRST slot refuses a patient with a COMPLETED visit in its department within {@link #followUpWindow()}. */
    @WithDefault("true")
    boolean firstVisitUnseenOnly();

    Idempotency idempotency();

    interface Idempotency {
        /** How long an Idempotency-Key and its response are kept (at least 24 h). */
        @WithDefault("25h")
        Duration retention();

        /** How long a repeated request waits for the first one, still in flight, to finish. */
        @WithDefault("10s")
        Duration inFlightWait();
    }
}
