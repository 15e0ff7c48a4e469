package io.firstvisit.redis;

import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain Redis reads, writes and small scripts on the request path (slot views, patient cards, idempotency records),
 * each under the same budget as the inventory scripts: 1.5 s, and a circuit breaker that turns a slow
 * or stalled Redis into an immediate 503 instead of requests waiting out the stall. A node that cannot be
 * reached fails its calls at once ({@link RedisUnreachable}) and does not count towards the breaker.
 */
@ApplicationScoped
public class GuardedRedis {

    public static final long TIMEOUT_MS = 1500;

    private final RedisAPI redis;

    public GuardedRedis(@RedisCommands RedisAPI redis) {
        this.redis = redis;
    }

    /** The value, or null when the key does not exist. */
    @AsynchronousNonBlocking
    @Timeout(TIMEOUT_MS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 3, skipOn = RedisUnreachable.class)
    public Uni<String> get(String key) {
        return redis.get(key).map(value -> value == null ? null : value.toString());
    }

    /** Every field of a hash; empty when the key does not exist. */
    @AsynchronousNonBlocking
    @Timeout(TIMEOUT_MS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 3, skipOn = RedisUnreachable.class)
    public Uni<Map<String, String>> hgetall(String key) {
        return redis.hgetall(key).map(reply -> {
            Map<String, String> fields = new HashMap<>();
            if (reply != null) {
                // RESP3 answers a map, RESP2 a flat array of pairs: getKeys() reads both.
                reply.getKeys().forEach(field -> fields.put(field, reply.get(field).toString()));
            }
            return fields;
        });
    }

    /** SET with its options (NX, PX, ...); true when Redis set the key. */
    @AsynchronousNonBlocking
    @Timeout(TIMEOUT_MS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 3, skipOn = RedisUnreachable.class)
    public Uni<Boolean> set(List<String> keyValueAndOptions) {
        return redis.set(keyValueAndOptions).map(reply -> reply != null);
    }

    /** One script (EVALSHA, re-sent on NOSCRIPT) under the same budget and breaker. */
    @AsynchronousNonBlocking
    @Timeout(TIMEOUT_MS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 3, skipOn = RedisUnreachable.class)
    public Uni<Response> run(LuaScript script, List<String> keys, List<String> args) {
        return script.run(redis, keys, args);
    }
}
