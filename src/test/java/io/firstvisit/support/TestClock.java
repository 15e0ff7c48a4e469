package io.firstvisit.support;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's clock in tests: the system clock plus an offset a test sets, to be past a slot's start without
 * waiting for it. It replaces the ClockProducer's bean for every @QuarkusTest; with no offset it is the system
 * clock. Shared by the whole test run, so a test that moves it resets it in a finally block:
 *
 * <pre>
 *  clock.moveTo(slotStart.plusSeconds(60));
 *  try { ... } finally { clock.reset(); }
 * </pre>
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    /** From now on the service's now is {@code instant}, advancing with real time. */
    public void moveTo(Instant instant) {
        offset.set(Duration.between(Instant.now(), instant));
    }

    public void moveTo(java.time.OffsetDateTime time) {
        moveTo(time.toInstant());
    }

    public void reset() {
        offset.set(Duration.ZERO);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same moving clock seen in {@code zone}: it keeps following this one's offset. */
    @Override
    public Clock withZone(ZoneId zone) {
        TestClock self = this;
        return new Clock() {
            @Override
            public Instant instant() {
                return self.instant();
            }

            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return self.withZone(other);
            }
        };
    }
}
