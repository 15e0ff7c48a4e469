package io.firstvisit.support;

import io.firstvisit.redis.RedisCommands;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.List;

/**
 * The test run starts on an empty Redis, as it starts on an empty database (Flyway clean-at-start): keys a
 * previous run left under the same department-day hash tag (slot views of slots PostgreSQL no longer has, a
 * waiting room's line) must not leak into this run's days.
 */
@ApplicationScoped
public class FreshRedis {

    void flush(@Observes @Priority(1) StartupEvent event, @RedisCommands RedisAPI redis) {
        redis.flushdb(List.of()).await().atMost(Duration.ofSeconds(10));
    }
}
