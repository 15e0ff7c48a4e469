package io.firstvisit.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "firstvisit.webhooks")
public interface WebhookConfig {

    /** How often each instance looks for deliveries that are due. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Attempts before a delivery is kept as FAILED (the first one included). */
    @WithDefault("10")
    int maxAttempts();

    /** Wait before the second attempt; it doubles with each failure up to {@link #lastRetry()}. */
    @WithDefault("1s")
    Duration firstRetry();

    @WithDefault("10m")
    Duration lastRetry();

    /** How long a receiver may take to answer one delivery. */
    @WithDefault("5s")
    Duration timeout();

    /** Deliveries one instance has in flight at most (a poll claims only what room is left). */
    @WithDefault("64")
    int batchSize();
}
