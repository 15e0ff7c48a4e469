package io.firstvisit.booking;

import io.firstvisit.common.JsonCodec;
import io.firstvisit.problem.Problem;
import io.firstvisit.inventory.InventoryKeys;
import io.firstvisit.redis.GuardedRedis;
import io.firstvisit.redis.LuaScript;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * I5: one Idempotency-Key, one booking. The first attempt claims the key (claim-key.lua); an attempt that
 * booked keeps its answer for the retention, and a repeat with the same body gets that answer again,
 * waiting for it while the first is still in flight; a repeat with a different body is refused. Keys are
 * scoped by account, so two accounts never collide.
 * <p>
 * <b>What is kept.</b> Only answers that changed something (a booking, 2xx). A refusal (sold out, not
 * open, already booked, …) or a failure (429, 503) changed nothing the key must remember: its claim is
 * dropped and a retry with the same key is evaluated again, like a first request (the Stripe rule). So a
 * client's refused attempts cost no memory, and a retry after a place came back can still book. A retry
 * can never book twice: the booking id derives from the key, so reserve.lua re-adopts the attempt's own
 * seat and PostgreSQL's row is replayed.
 * <p>
 * <b>After a Redis stall.</b> An attempt whose claim timed out does not know whether the claim landed
 * (it may still sit in Redis' socket buffer and run when Redis wakes up). It answers 503 and, in the
 * background until it lands, fences the key with its token: a late copy of its claim then changes
 * nothing, and the parent's retry is answered at once instead of waiting out a lease.
 * <p>
 * Redis may lose keys (I4); the booking row also carries the key, and a lost key is caught there: the
 * repeat finds its own committed booking and replays it instead of booking twice.
 */
@ApplicationScoped
public class IdempotencyStore {

    private static final Logger LOG = Logger.getLogger(IdempotencyStore.class);
    /** Longer than a whole booking attempt may take (its deadline is 8 s). */
    static final Duration IN_FLIGHT_LEASE = Duration.ofSeconds(30);
    /** A repeat whose first attempt runs on another instance looks again after this, doubling up to a second. */
    private static final Duration FIRST_LOOK_AGAIN = Duration.ofMillis(25);
    private static final Duration LAST_LOOK_AGAIN = Duration.ofSeconds(1);
    private static final Duration SETTLE_FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration SETTLE_LAST_RETRY = Duration.ofSeconds(2);

    private final GuardedRedis redis;
    private final InventoryKeys keys;
    private final BookingConfig config;
    private final JsonCodec json;
    private final LuaScript claim = LuaScript.load("claim-key");
    private final LuaScript settle = LuaScript.load("settle-key");
    /** Tokens name their instance, so a repeat can tell a claim of this instance's from another's. */
    private final String instance = UUID.randomUUID().toString().substring(0, 8) + "/";
    private final AtomicLong attempts = new AtomicLong();
    /** This instance's attempts whose claim may be in Redis, by token; completed when the attempt ended. */
    private final Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

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

    /** One request with a key: where its record lives, what it asks, and how long a repeat may wait. */
    private record Request(String key, String fingerprint, Supplier<Uni<StoredResponse>> action, long giveUpAt) {
    }

    public Uni<StoredResponse> once(String account, String idempotencyKey, String fingerprint, Supplier<Uni<StoredResponse>> action) {
        Request request = new Request(keys.idempotency(account, digest(idempotencyKey)), fingerprint, action,
                System.nanoTime() + config.idempotency().inFlightWait().toNanos());
        return claimOrWait(request, "", FIRST_LOOK_AGAIN);
    }

    /**
     * One round trip claims the key or tells what holds it. {@code over} names a claim whose attempt is
     * known to have ended on this instance (its settle may not have landed yet): it may be taken over.
     */
    private Uni<StoredResponse> claimOrWait(Request request, String over, Duration lookAgain) {
        String token = instance + attempts.incrementAndGet();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        // Registered before the claim is sent: a local repeat may see the claim before we see its reply.
        running.put(token, ended);
        return redis.run(claim, List.of(request.key()), List.of(request.fingerprint(), token,
                        Long.toString(IN_FLIGHT_LEASE.toMillis()), over))
                .onFailure().invoke(failure -> {
                    end(token, ended);
                    if (mayHaveLanded(failure)) {
                        settleInBackground(request, token, "FENCE", IN_FLIGHT_LEASE, "");
                    }
                })
                // The client went away while the claim was in flight: it may still land.
                .onCancellation().invoke(() -> {
                    end(token, ended);
                    settleInBackground(request, token, "FENCE", IN_FLIGHT_LEASE, "");
                })
                .flatMap(reply -> switch (reply.get(0).toString()) {
                    case "CLAIMED" -> run(request, token, ended);
                    case "DONE" -> {
                        end(token, ended);
                        yield Uni.createFrom().item(json.read(reply.get(1).toString(), StoredResponse.class));
                    }
                    case "REUSED" -> {
                        end(token, ended);
                        yield Uni.createFrom().failure(BookingService.reused());
                    }
                    case "IN_FLIGHT" -> {
                        end(token, ended);
                        yield waitFor(request, reply.get(1).toString(), lookAgain);
                    }
                    default -> { // STALE: a fresh token is never fenced; if it ever is, the answer is "retry"
                        end(token, ended);
                        yield Uni.createFrom().failure(stillRunning());
                    }
                });
    }

    /**
     * The repeat of an attempt still in flight. If that attempt runs here, the repeat waits for it to end
     * (no polling); one that already ended here left a claim its settle has not yet removed, which the
     * repeat takes over at once. Another instance's attempt is looked at again, at growing intervals.
     * When the first attempt ends without an answer to keep, the repeat runs itself.
     */
    private Uni<StoredResponse> waitFor(Request request, String owner, Duration lookAgain) {
        long left = request.giveUpAt() - System.nanoTime();
        if (left <= 0) {
            return Uni.createFrom().failure(stillRunning());
        }
        if (owner.startsWith(instance)) {
            CompletableFuture<Void> first = running.get(owner);
            if (first == null) {
                return claimOrWait(request, owner, lookAgain);
            }
            return Uni.createFrom().completionStage(first)
                    .ifNoItem().after(Duration.ofNanos(left)).failWith(IdempotencyStore::stillRunning)
                    .flatMap(ended -> claimOrWait(request, owner, lookAgain));
        }
        Duration pause = Duration.ofNanos(Math.min(lookAgain.toNanos(), left));
        Duration next = lookAgain.multipliedBy(2).compareTo(LAST_LOOK_AGAIN) > 0 ? LAST_LOOK_AGAIN : lookAgain.multipliedBy(2);
        return Uni.createFrom().voidItem().onItem().delayIt().by(pause)
                .flatMap(ignored -> claimOrWait(request, "", next));
    }

    /**
     * The answer does not wait for the bookkeeping: with Redis unresponsive, waiting would add a second
     * Redis budget to an attempt that already has its answer (and turn a committed 201 into a 503).
     */
    private Uni<StoredResponse> run(Request request, String token, CompletableFuture<Void> ended) {
        return request.action().get()
                .invoke(response -> {
                    if (response.status() / 100 == 2) {
                        settleInBackground(request, token, "DONE", config.idempotency().retention(), json.write(response));
                    } else {
                        settleInBackground(request, token, "FORGET", IN_FLIGHT_LEASE, "");
                    }
                    end(token, ended);
                })
                .onFailure().invoke(() -> {
                    settleInBackground(request, token, "FORGET", IN_FLIGHT_LEASE, "");
                    end(token, ended);
                })
                // The client went away (or the attempt's deadline cancelled it): nothing is kept, a retry runs
                // again under the same booking id, and repeats waiting here are released now, not after the lease.
                .onCancellation().invoke(() -> {
                    settleInBackground(request, token, "FORGET", IN_FLIGHT_LEASE, "");
                    end(token, ended);
                });
    }

    /**
     * Issued before the answer, on the instance's one pipelined Redis connection, so a repeat normally
     * finds it landed. While Redis is away it is retried until it lands or the claim's lease would have
     * ended anyway; if it never lands, the lease ends the claim (and a local repeat takes it over sooner).
     */
    private void settleInBackground(Request request, String token, String outcome, Duration ttl, String response) {
        redis.run(settle, List.of(request.key()), List.of(token, outcome, request.fingerprint(), Long.toString(ttl.toMillis()), response))
                .onFailure(failure -> !(failure instanceof ErrorType))
                .retry().withBackOff(SETTLE_FIRST_RETRY, SETTLE_LAST_RETRY).expireIn(IN_FLIGHT_LEASE.toMillis())
                .subscribe().with(done -> { },
                        failure -> LOG.debugf("Idempotency record %s left to its lease: %s", request.key(), failure.toString()));
    }

    private void end(String token, CompletableFuture<Void> ended) {
        running.remove(token);
        ended.complete(null);
    }

    /**
     * A timeout or a broken connection: the claim may have been sent and may still run. An open breaker
     * sent nothing, and an error reply is Redis refusing the command.
     */
    private static boolean mayHaveLanded(Throwable failure) {
        return !(failure instanceof CircuitBreakerOpenException) && !(failure instanceof ErrorType);
    }

    private static Problem stillRunning() {
        return Problem.unavailable("key-in-flight", Duration.ofSeconds(1));
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
