package io.firstvisit.booking;

import io.firstvisit.inventory.InventoryConfig;
import io.firstvisit.inventory.rebuild.InventoryReconciler;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The timeouts of the booking path must nest, or a seat can be sold twice (I3):
 * <pre>
 *   write budget + statement_timeout  &lt;  reservation timeout  &lt;  reconcile grace
 * </pre>
 * A booking's commit can land at most one write budget (how long it may wait for its batch) plus one
 * {@code statement_timeout} (how long PostgreSQL lets the batch run) after its seat was reserved. The reaper
 * returns a reservation's seat after the reservation timeout when it finds no row: a commit still able to land
 * then would be a booking whose seat is also offered again. The reconciler treats reservations younger than its
 * grace as still in flight; a shorter grace would let it return a seat the reaper has not yet settled.
 * <p>
 * Checked once at start: a configuration that breaks a relation does not start, and the message names the
 * properties to change. The values are read as they take effect, including fault-tolerance overrides of the
 * write budget ({@code io.firstvisit.booking.BookingWriter/write/Timeout/value} and the global forms), which is why
 * this reads {@link Config} rather than a mapping of its own.
 */
@ApplicationScoped
public class TimeoutRelations {

    static final String STATEMENT_TIMEOUT = "quarkus.datasource.reactive.additional-properties.statement_timeout";
    static final String RESERVATION_TIMEOUT = "firstvisit.inventory.reservation-timeout";
    private static final String WRITE = BookingWriter.class.getName() + "/write";

    private final Config config;
    private final InventoryConfig inventory;

    public TimeoutRelations(Config config, InventoryConfig inventory) {
        this.config = config;
        this.inventory = inventory;
    }

    void check(@Observes StartupEvent start) {
        List<String> broken = violations(writeBudget(), statementTimeout(), inventory.reservationTimeout(),
                InventoryReconciler.grace(inventory.reservationTimeout()));
        if (!broken.isEmpty()) {
            throw new IllegalStateException("The booking path's timeouts do not nest; refusing to start:\n  "
                    + String.join("\n  ", broken));
        }
    }

    /** What is wrong with these values, one sentence per broken relation; empty when they nest. */
    static List<String> violations(Duration writeBudget, Optional<Duration> statementTimeout, Duration reservationTimeout,
                                   Duration reconcileGrace) {
        List<String> broken = new ArrayList<>();
        if (statementTimeout.isEmpty()) {
            broken.add(STATEMENT_TIMEOUT + " is not set (or 0): PostgreSQL could commit a booking at any time after "
                    + RESERVATION_TIMEOUT + " gave its seat back");
        } else if (writeBudget.plus(statementTimeout.get()).compareTo(reservationTimeout) >= 0) {
            broken.add("write budget (" + writeBudget.toMillis() + " ms, @Timeout of " + WRITE + ") + " + STATEMENT_TIMEOUT
                    + " (" + statementTimeout.get().toMillis() + " ms) must be less than " + RESERVATION_TIMEOUT + " ("
                    + reservationTimeout.toMillis() + " ms): a commit could land after the reaper returned its seat");
        }
        if (reservationTimeout.compareTo(reconcileGrace) >= 0) {
            broken.add(RESERVATION_TIMEOUT + " (" + reservationTimeout.toMillis() + " ms) must be less than the reconciler's grace ("
                    + reconcileGrace.toMillis() + " ms)");
        }
        return broken;
    }

    /** The write's @Timeout as SmallRye Fault Tolerance applies it: method, then global overrides, then the annotation. */
    private Duration writeBudget() {
        return firstLong("quarkus.fault-tolerance.\"" + WRITE + "\".timeout.value", WRITE + "/Timeout/value",
                "quarkus.fault-tolerance.global.timeout.value", "Timeout/value")
                .map(Duration::ofMillis)
                .orElse(Duration.ofMillis(BookingWriter.WRITE_BUDGET_MS));
    }

    private Optional<Long> firstLong(String... keys) {
        for (String key : keys) {
            Optional<Long> value = config.getOptionalValue(key, Long.class);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    private Optional<Duration> statementTimeout() {
        return config.getOptionalValue(STATEMENT_TIMEOUT, String.class).map(TimeoutRelations::postgresDuration)
                .filter(d -> !d.isZero());
    }

    /** PostgreSQL's syntax for a time setting: a bare number is milliseconds; units us, ms, s, min, h, d. */
    static Duration postgresDuration(String value) {
        String v = value.trim().toLowerCase();
        String number = v.replaceFirst("^(\\d+)\\s*[a-z]*$", "$1");
        String unit = v.substring(number.length()).trim();
        if (!number.matches("\\d+")) {
            throw new IllegalStateException(STATEMENT_TIMEOUT + " is not a PostgreSQL time: " + value);
        }
        long n = Long.parseLong(number);
        switch (unit) {
            case "":
            case "ms":
                return Duration.ofMillis(n);
            case "us":
                return Duration.ofNanos(n * 1000);
            case "s":
                return Duration.ofSeconds(n);
            case "min":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            case "d":
                return Duration.ofDays(n);
            default:
                throw new IllegalStateException(STATEMENT_TIMEOUT + " has an unknown unit: " + value);
        }
    }
}
