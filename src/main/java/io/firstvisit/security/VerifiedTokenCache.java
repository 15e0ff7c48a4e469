package io.firstvisit.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.SecretKey;

/**
 * What a gateway does at the release minute: verify a bearer token's RS256 signature once, then
 * recognise the same token by its SHA-256 until it expires. The RSA check was a third of the CPU of
 * the sold-out path (docs/performance.md); a parent's app sends the same token with each of its taps.
 * <p>
 * Nothing checked is weakened: a token enters the cache only after smallrye-jwt verified signature,
 * issuer and claims; a hit is re-checked against its expiry (with the same clock skew) every time; the
 * cached object is the verified token itself, so groups and subject are exactly what was verified.
 * Every other parser operation goes to smallrye-jwt untouched.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokenCache implements JWTParser {

    private final DefaultJWTParser verifier;
    private final long skewSeconds;
    private final Cache<String, JsonWebToken> verified;

    public VerifiedTokenCache(DefaultJWTParser verifier, JwtClockConfig clock, SecurityConfig config) {
        this.verifier = verifier;
        this.skewSeconds = clock.skew();
        this.verified = Caffeine.newBuilder().maximumSize(config.verifiedTokenCacheSize()).expireAfterWrite(Duration.ofMinutes(10)).build();
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        String digest = digest(token);
        JsonWebToken known = verified.getIfPresent(digest);
        if (known != null) {
            if (known.getExpirationTime() + skewSeconds > System.currentTimeMillis() / 1000) {
                return known;
            }
            verified.invalidate(digest);
        }
        JsonWebToken fresh = verifier.parse(token); // throws unless fully valid
        verified.put(digest, fresh);
        return fresh;
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return verifier.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return verifier.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return verifier.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return verifier.parseOnly(token);
    }

    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
