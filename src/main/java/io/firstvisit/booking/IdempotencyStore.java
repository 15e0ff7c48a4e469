package io.firstvisit.booking;

import io.firstvisit.common.GuardedRedis;
import io.firstvisit.common.JsonCodec;
import io.firstvisit.common.Problem;
import io.firstvisit.inventory.InventoryKeys;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * I5: one Idempotency-Key, one outcome. The first request claims the key (SET NX) and stores its
 * final response; a repeat with the same body gets that response again, waiting for it while the first
 * is still in flight; a repeat with a different body is refused. Answers that invite a retry (429, 5xx)
 * are not kept, so the retry really runs. Keys are scoped by account, so two accounts never collide.
 * <p>
 * Redis may lose keys (I4); the booking row also carries the key, and a lost key is caught there: the
 * repeat finds its own committed booking and replays it instead of booking twice.
 */
@ApplicationScoped
public class IdempotencyStore {

    private static final Logger LOG = Logger.getLogger(IdempotencyStore.class);
    private static final Duration POLL = Duration.ofMillis(50);
    /** Longer than a whole booking attempt may take (its deadline is 8 s). */
    static final Duration IN_FLIGHT_LEASE = Duration.ofSeconds(30);

    private final GuardedRedis redis;
    private final InventoryKeys keys;
    private final BookingConfig config;
    private final JsonCodec json;

    public IdempotencyStore(GuardedRedis redis, InventoryKeys keys, BookingConfig config, JsonCodec json) {
        this.redis = redis;
        this.keys = keys;
        this.config = config;
        this.json = json;
    }

    /** A response as it was sent: replayed byte for byte. */
    @RegisterForReflection
    public record StoredResponse(int status, String location, String contentType, String body) {
    }

    @RegisterForReflection
    record Entry(String fingerprint, StoredResponse response) {
    }

    public Uni<StoredResponse> once(String account, String idempotencyKey, String fingerprint, Supplier<Uni<StoredResponse>> action) {
        String key = keys.idempotency(account, digest(idempotencyKey));
        String ttl = Long.toString(config.idempotency().retention().toMillis());
        // The in-flight claim is a short lease, not the retention: if the instance holding it dies, a
        // retry takes the key over once the lease ends and runs again — safely, because the booking id
        // derives from the key (reserve.lua re-adopts its seat; a committed row is replayed).
        return redis.set(List.of(key, write(new Entry(fingerprint, null)), "NX", "PX", Long.toString(IN_FLIGHT_LEASE.toMillis())))
                .flatMap(claimed -> claimed
                        ? runAndRemember(key, ttl, fingerprint, action)
                        : replay(key, fingerprint, System.nanoTime() + config.idempotency().inFlightWait().toNanos()));
    }

    /**
     * The answer does not wait for the bookkeeping: with Redis unresponsive, waiting would add a second
     * Redis budget to an attempt that already has its answer (and turn a committed 201 into a 503). The
     * command is issued before the answer, on the instance's one pipelined Redis connection, so a repeat
     * normally finds it; one that comes first waits for it (a claim without a response) or is told to
     * retry. If it never lands, the claim's lease ends and a repeat runs again, which is safe because the
     * booking id derives from the key.
     */
    private Uni<StoredResponse> runAndRemember(String key, String ttl, String fingerprint, Supplier<Uni<StoredResponse>> action) {
        return action.get()
                .invoke(response -> inBackground(response.status() == 429 || response.status() >= 500
                        ? redis.delete(key)
                        : redis.set(List.of(key, write(new Entry(fingerprint, response)), "PX", ttl)).replaceWithVoid(), key))
                .onFailure().invoke(() -> inBackground(redis.delete(key), key));
    }

    private static void inBackground(Uni<Void> bookkeeping, String key) {
        bookkeeping.subscribe().with(done -> { }, f -> LOG.debugf("Idempotency record %s left to its lease: %s", key, f.toString()));
    }

    private Uni<StoredResponse> replay(String key, String fingerprint, long giveUpAt) {
        return redis.get(key).flatMap(found -> {
            Entry entry = found == null ? null : read(found);
            if (entry != null && !entry.fingerprint().equals(fingerprint)) {
                return Uni.createFrom().failure(new Problem(422, "idempotency-key-reused", "Idempotency-Key reused",
                        "This Idempotency-Key was already used with a different request body"));
            }
            if (entry != null && entry.response() != null) {
                return Uni.createFrom().item(entry.response());
            }
            if (System.nanoTime() > giveUpAt) {
                return Uni.createFrom().failure(Problem.unavailable(
                        "The first request with this Idempotency-Key is still being processed", Duration.ofSeconds(1)));
            }
            // Still in flight (or the first attempt failed and released the key): look again shortly.
            return Uni.createFrom().nullItem().onItem().delayIt().by(POLL)
                    .flatMap(ignored -> entry == null
                            ? Uni.createFrom().failure(Problem.unavailable(
                                    "The earlier request with this Idempotency-Key did not finish; retry", Duration.ofSeconds(1)))
                            : replay(key, fingerprint, giveUpAt));
        });
    }

    private String write(Entry entry) {
        return json.write(entry);
    }

    private Entry read(String stored) {
        return json.read(stored, Entry.class);
    }

    public static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
