package io.firstvisit.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.firstvisit.problem.Problem;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Per-account token bucket for booking attempts, on this instance: a script hammering "book" gets 429
 * with Retry-After instead of taking a share of the release minute. It is deliberately local (no Redis
 * round trip on the hottest path): with N instances behind a round-robin balancer an account gets at
 * most N times the rate. What an account can actually TAKE is bounded across all instances by the
 * booking rules, enforced in Redis and PostgreSQL: one active booking per patient per department-day,
 * at most {@code firstvisit.booking.max-per-account-day} (3) per account per department-day whichever
 * patients it books for, at most 10 patients per account.
 */
@ApplicationScoped
public class AccountRateLimiter {

    @ConfigMapping(prefix = "firstvisit.rate-limit")
    public interface Config {
        /** Booking attempts per second an account may sustain on one instance. */
        @WithDefault("5")
        double bookingsPerSecond();

        /** Attempts an account may make at once before the rate applies (a double tap, a retry). */
        @WithDefault("10")
        int bookingBurst();
    }

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(2))
            .maximumSize(2_000_000)
            .build();
    private final double perNano;
    private final double burst;

    public AccountRateLimiter(Config config) {
        this.perNano = config.bookingsPerSecond() / 1e9;
        this.burst = config.bookingBurst();
    }

    /** Takes one attempt from the account's bucket, or throws 429 with the wait until the next one. */
    public void acquire(String account) {
        long waitNanos = buckets.get(account, a -> new Bucket(burst)).take(System.nanoTime(), perNano, burst);
        if (waitNanos > 0) {
            throw Problem.rateLimited("rate-limited", Duration.ofNanos(waitNanos));
        }
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(double tokens) {
            this.tokens = tokens;
            this.last = System.nanoTime();
        }

        /** 0 when a token was taken, else nanoseconds until one is available. */
        synchronized long take(long now, double perNano, double burst) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }
    }
}
