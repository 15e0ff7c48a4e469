package io.firstvisit.booking;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code firstvisit_booking_outcomes_total{outcome=...}}: every booking attempt counted once by how it
 * ended (a replay of a kept 201 is not an attempt). The outcome is the problem code (or "confirmed"),
 * never anything personal.
 */
@ApplicationScoped
public class BookingMetrics {

    static final List<String> KNOWN = List.of("confirmed", "sold-out", "already-booked", "not-open", "closed",
            "not-eligible", "not-qualified", "account-limit", "slot-cancelled", "slot-not-found", "patient-not-found", "invalid-request", "idempotency-key-reused",
            "rate-limited", "unavailable", "queue-required");

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public BookingMetrics(MeterRegistry registry) {
        this.registry = registry;
        KNOWN.forEach(this::counter); // present at zero from the start, so dashboards and alerts see them
    }

    public void record(String outcome) {
        counter(KNOWN.contains(outcome) ? outcome : "other").increment();
    }

    private Counter counter(String outcome) {
        return counters.computeIfAbsent(outcome, o -> Counter.builder("firstvisit.booking.outcomes")
                .description("Booking attempts by outcome")
                .tag("outcome", o)
                .register(registry));
    }
}
