package io.firstvisit.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one place test code mints JWTs: the same tokens as {@code bin/dev-token} (DevTokenScriptTest holds the two
 * together), RS256 with the development key that the dev and test profiles trust; header
 * {@code {"alg":"RS256","typ":"JWT","kid":"firstvisit-dev"}}, claims iss, aud, sub, upn, groups, iat, exp (24 h
 * later) and a fresh jti, in that order. Deliberately broken tokens (HostileTokens) start from {@link #claims} and
 * go through {@link #sign}.
 */
public final class DevTokens {

    public static final String ISSUER = "firstvisit-dev";
    public static final String AUDIENCE = "firstvisit";
    public static final String KEY_ID = "firstvisit-dev";
    public static final String HEADER = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + KEY_ID + "\"}";
    /** The longest lifetime the service accepts (firstvisit.security.max-token-lifetime). */
    public static final Duration LIFETIME = Duration.ofHours(24);
    /** Where the development key lives, relative to the repository root. */
    public static final Path KEY_IN_REPOSITORY = Path.of("bin", "dev-keys", "private.pem");

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey key;
    private final String issuer;

    private DevTokens(PrivateKey key, String issuer) {
        this.key = key;
        this.issuer = issuer;
    }

    /** Tokens signed with a PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}) and carrying this issuer. */
    public static DevTokens fromPem(Path pkcs8Pem, String issuer) {
        return new DevTokens(readKey(pkcs8Pem), issuer);
    }

    /** The development key of this checkout: bin/dev-keys/private.pem in the working directory or one above it. */
    public static DevTokens fromRepository() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path pem = dir.resolve(KEY_IN_REPOSITORY);
            if (Files.isRegularFile(pem)) {
                return fromPem(pem, ISSUER);
            }
        }
        throw new IllegalStateException("no " + KEY_IN_REPOSITORY + " in " + here + " or any directory above it");
    }

    /** The same claims signed with another key: a token the service must refuse. */
    public DevTokens signingWith(PrivateKey otherKey) {
        return new DevTokens(otherKey, issuer);
    }

    public String patient(String account) {
        return mint(account, "patient");
    }

    public String scheduler(String account) {
        return mint(account, "scheduler");
    }

    /** A valid token of {@code account} in these groups (patient, scheduler, integration). */
    public String mint(String account, String... groups) {
        return sign(HEADER, Json.write(claims(account, Instant.now(), groups)));
    }

    /** The claims of a valid token issued at {@code issuedAt}, in bin/dev-token's order; a mutable map to break. */
    public Map<String, Object> claims(String account, Instant issuedAt, String... groups) {
        long iat = issuedAt.getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("aud", AUDIENCE);
        claims.put("sub", account);
        claims.put("upn", account);
        claims.put("groups", List.of(groups));
        claims.put("iat", iat);
        claims.put("exp", iat + LIFETIME.toSeconds());
        claims.put("jti", UUID.randomUUID().toString());
        return claims;
    }

    /** {@code base64url(header).base64url(payload).base64url(RS256 signature)}, whatever the JSON says. */
    public String sign(String headerJson, String payloadJson) {
        String signingInput = base64Url(headerJson) + "." + base64Url(payloadJson);
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a development token", e);
        }
    }

    public static String base64Url(String text) {
        return B64URL.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The key's public half (what src/main/resources/dev-keys/public.pem holds), to verify tokens with. */
    public PublicKey publicKey() {
        if (!(key instanceof RSAPrivateCrtKey)) {
            throw new IllegalStateException("the signing key carries no public exponent");
        }
        RSAPrivateCrtKey crt = (RSAPrivateCrtKey) key;
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey readKey(Path pem) {
        try {
            String text = Files.readString(pem, StandardCharsets.US_ASCII);
            if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
                throw new IllegalArgumentException(pem + " is not a PKCS#8 PEM (expected BEGIN PRIVATE KEY)");
            }
            String base64 = text.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                    .replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the development key " + pem.toAbsolutePath(), e);
        }
    }
}
