package io.firstvisit.common;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * The hospitals' clock and calendar. Dates in the API ("the slot date", "already booked that day")
 * are calendar dates in the hospitals' zone, never the server's.
 */
@ApplicationScoped
public class HospitalTime {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** How far ahead slots may be published and availability asked for. */
    public static final int HORIZON_DAYS = 730;

    private final Clock clock = Clock.systemUTC();

    /** Now, to the microsecond: what PostgreSQL stores, so a replayed answer equals a read-back one. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZONE));
    }

    public static LocalDate dateOf(Instant instant) {
        return instant.atZone(ZONE).toLocalDate();
    }

    public static OffsetDateTime local(Instant instant) {
        return instant == null ? null : instant.atZone(ZONE).toOffsetDateTime();
    }
}
