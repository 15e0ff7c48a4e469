package io.firstvisit.waitlist;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "firstvisit.waitlist")
public interface WaitlistConfig {

    /**
     * How long an offered place is held for the first waiting entry's patient: accept it (free slot) or pay (paid
     * slot) before then, or it expires and the place passes to the next entry.
     */
    @WithDefault("10m")
    Duration offerWindow();

    /**
     * How often each instance looks for department-days with seats parked for their waitlist and offers them (a
     * returned seat is offered at once; this sweep covers an instance that died in between, or a lost notice).
     */
    @WithDefault("5s")
    Duration sweepInterval();
}
