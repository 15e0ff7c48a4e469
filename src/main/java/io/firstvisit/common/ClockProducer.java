package io.firstvisit.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The one source of "now" for the service ({@link HospitalTime} reads it). A bean, so that tests replace it
 * (src/test's {@code TestClock}) and move time past a slot's start instead of waiting for it.
 */
@ApplicationScoped
public class ClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
