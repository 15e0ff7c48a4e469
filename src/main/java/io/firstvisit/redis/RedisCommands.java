package io.firstvisit.redis;

import jakarta.inject.Qualifier;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@code RedisAPI} every command of the service goes through (inventory scripts, directories,
 * idempotency records); see {@link RedisCommandsProducer} for why it is not Quarkus's default bean.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface RedisCommands {
}
