package io.firstvisit.common;

import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Which Redis client the service's commands use.
 * <ul>
 *   <li>Standalone (and sentinel/replication): Quarkus's pooled client, as configured.</li>
 *   <li>Cluster: one long-lived cluster connection, {@link SharedClusterConnection}. The pooled cluster
 *   client takes a connection from <em>every</em> master's pool for each single command; under a release
 *   burst, commands holding some masters' connections wait for the others' and the pools deadlock until
 *   every command times out (measured: {@code RedisClusterIT} got 572 of 600 answers as 503 with the pooled
 *   client). A shared connection keeps one socket per master and pipelines every command on it.</li>
 * </ul>
 */
@ApplicationScoped
public class RedisCommandsProducer {

    private static final Logger LOG = Logger.getLogger(RedisCommandsProducer.class);

    @Produces
    @Singleton
    @RedisCommands
    RedisAPI commands(Redis pooled, RedisAPI quarkusDefault,
                      @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        if (!"cluster".equalsIgnoreCase(clientType)) {
            return quarkusDefault;
        }
        LOG.info("Redis Cluster: commands share one pipelined cluster connection (one socket per master)");
        return RedisAPI.api(Redis.newInstance(new SharedClusterConnection(pooled.getDelegate())));
    }
}
