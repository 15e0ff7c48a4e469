package io.firstvisit.redis;

import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The Redis client the service's commands use: one long-lived, pipelined connection per instance
 * ({@link SharedRedisConnection}) rather than Quarkus's pool, in both standalone and cluster mode.
 * <ul>
 *   <li>Cluster: the pooled cluster client takes a connection from <em>every</em> master's pool for
 *   each single command; under a release burst, commands holding some masters' connections wait for the
 *   others' and the pools deadlock until every command times out (measured: {@code RedisClusterIT} got
 *   295 and 572 of 600 answers as 503 with the pooled client).</li>
 *   <li>Standalone: a pool that sat idle (its connections recycled) grows under the burst itself, and a
 *   cold instance's first Redis calls then ran past their 1.5 s budget, opening its breaker
 *   ({@code ThreeInstancesIT} with the pool: 173, 330 and 501 of 600 answers were 503 in three runs,
 *   all from one instance that had been idle since its warm-up).</li>
 * </ul>
 * The pool stays for dedicated connections (the sold-out pub/sub subscriber) and the health check.
 */
@ApplicationScoped
public class RedisCommandsProducer {

    @Produces
    @Singleton
    @RedisCommands
    RedisAPI commands(Redis pooled) {
        return RedisAPI.api(Redis.newInstance(new SharedRedisConnection(pooled.getDelegate())));
    }
}
