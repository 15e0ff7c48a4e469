package io.firstvisit.security;

import io.firstvisit.common.Text;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * What smallrye-jwt does not check about a token it verified, refused with 401 before any route runs:
 * <ul>
 *   <li>{@code iat} in the future (a broken or hostile issuer clock), beyond a minute of skew;</li>
 *   <li>a lifetime ({@code exp - iat}) longer than {@code firstvisit.security.max-token-lifetime}: a token valid
 *       for a century is a stolen credential forever;</li>
 *   <li>a {@code sub} that cannot be an account id: empty, longer than 200 characters, or with control, format or
 *       separator characters (a NUL would reach PostgreSQL and fail there, as a 500).</li>
 * </ul>
 * The audience is smallrye-jwt's ({@code mp.jwt.verify.audiences}, see application.properties).
 */
@ApplicationScoped
public class TokenGuard implements SecurityIdentityAugmentor {

    static final int MAX_SUBJECT_LENGTH = 200;
    private static final Pattern PRINTABLE = Pattern.compile(Text.PRINTABLE);

    private final long maxLifetimeSeconds;
    private final long skewSeconds;

    public TokenGuard(SecurityConfig config, JwtClockConfig clock) {
        this.maxLifetimeSeconds = config.maxTokenLifetime().toSeconds();
        this.skewSeconds = clock.skew();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            String refusal = refusal(token, Instant.now().getEpochSecond());
            if (refusal != null) {
                return Uni.createFrom().failure(new AuthenticationFailedException(refusal));
            }
        }
        return Uni.createFrom().item(identity);
    }

    private String refusal(JsonWebToken token, long now) {
        long issuedAt = token.getIssuedAtTime();
        if (issuedAt > now + skewSeconds) {
            return "token issued in the future";
        }
        if (token.getExpirationTime() - issuedAt > maxLifetimeSeconds) {
            return "token lifetime longer than " + maxLifetimeSeconds + " s";
        }
        String subject = token.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT_LENGTH || !PRINTABLE.matcher(subject).matches()) {
            return "token subject is not an account id";
        }
        return null;
    }
}
