package io.firstvisit.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * smallrye-jwt's own clock skew ({@code mp.jwt.verify.clock.skew}), read here so that the checks this service adds
 * to a verified token (TokenGuard, VerifiedTokenCache) allow exactly the skew smallrye-jwt allowed.
 */
@ConfigMapping(prefix = "mp.jwt.verify.clock")
public interface JwtClockConfig {

    /** Seconds. The default is smallrye-jwt's. */
    @WithDefault("60")
    long skew();
}
