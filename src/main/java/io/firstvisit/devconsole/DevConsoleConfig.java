package io.firstvisit.devconsole;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The development console behind the booking page: routes that mint development tokens and play the payment
 * system. Off unless {@code firstvisit.dev-console.enabled} is true, which only the dev profile sets;
 * {@link DevConsoleCheck} refuses to start any other profile with it on.
 */
@ConfigMapping(prefix = "firstvisit.dev-console")
public interface DevConsoleConfig {

    @WithDefault("false")
    boolean enabled();

    /** The development private key (PKCS#8 PEM file) the dev profile's public key verifies; bin/dev-token signs with it. */
    @WithDefault("bin/dev-keys/private.pem")
    String privateKey();
}
