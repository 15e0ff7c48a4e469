package io.firstvisit.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;

/**
 * smallrye-jwt checks {@code exp} and {@code nbf} but not that {@code iat} is in the past. A token
 * "issued" an hour from now was minted by a broken or hostile issuer clock: refuse it (401), allowing
 * a minute of clock skew.
 */
@ApplicationScoped
public class IssuedAtGuard implements SecurityIdentityAugmentor {

    static final long SKEW_SECONDS = 60;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.getPrincipal() instanceof JsonWebToken token
                && token.getIssuedAtTime() > Instant.now().getEpochSecond() + SKEW_SECONDS) {
            return Uni.createFrom().failure(new AuthenticationFailedException("token issued in the future"));
        }
        return Uni.createFrom().item(identity);
    }
}
