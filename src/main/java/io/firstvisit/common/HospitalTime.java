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
 * are calendar dates in the hospitals' zone, never the server's. Every decision of the booking and schedule
 * paths that depends on now (a slot upcoming, open or closed; a cancellation or a no-show allowed; a hold due; a
 * publish in the future; the time of a visit outcome) reads it here, from the injected {@link Clock}
 * ({@link ClockProducer}), so tests move it instead of sleeping.
 * <p>
 * Two kinds of "now" deliberately stay on the system clock: token lifetimes (smallrye-jwt checks {@code exp}
 * and {@code nbf} against it, and TokenGuard and VerifiedTokenCache must agree with it), and the inventory's
 * recovery jobs (ReservationReaper, InventoryReconciler, ActiveDays), so that a test moving this clock forward
 * cannot make them return seats whose commits are still in flight.
 */
@ApplicationScoped
public class HospitalTime {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** How far ahead slots may be published and availability asked for. */
    public static final int HORIZON_DAYS = 730;

    private final Clock clock;

    public HospitalTime(Clock clock) {
        this.clock = clock;
    }

    /** Now, to the microsecond: what PostgreSQL stores, so a replayed answer equals a read-back one. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    public LocalDate today() {
        return dateOf(clock.instant());
    }

    public static LocalDate dateOf(Instant instant) {
        return instant.atZone(ZONE).toLocalDate();
    }

    public static OffsetDateTime local(Instant instant) {
        return instant == null ? null : instant.atZone(ZONE).toOffsetDateTime();
    }
}
