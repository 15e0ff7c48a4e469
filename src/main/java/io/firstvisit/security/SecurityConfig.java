package io.firstvisit.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "firstvisit.security")
public interface SecurityConfig {

    /** The longest lifetime ({@code exp - iat}) a token may have. */
    @WithDefault("24h")
    Duration maxTokenLifetime();

    /** Verified tokens this instance recognises by their digest without checking the signature again. */
    @WithDefault("200000")
    long verifiedTokenCacheSize();
}
