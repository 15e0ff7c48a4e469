package io.firstvisit.security;

import io.firstvisit.support.Tokens;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * Bearer tokens an attacker or a broken client sends: each is wrong in exactly one way, and every
 * other claim is what a valid patient token carries, so a 401 can only come from that one flaw.
 */
final class HostileTokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();
    /** Far beyond smallrye-jwt's default 60 s clock skew. */
    private static final Duration HOUR = Duration.ofHours(1);

    private HostileTokens() {
    }

    static String garbage() {
        return "this-is-not-a-jwt";
    }

    static String expired(String account) {
        Instant now = Instant.now();
        return valid(account, now.minus(HOUR.multipliedBy(2))).expiresAt(now.minus(HOUR)).jws().keyId("firstvisit-dev").sign(Tokens.devKey());
    }

    /** Issued and valid only from an hour from now (iat and nbf both in the future). */
    static String notYetValid(String account) {
        Instant later = Instant.now().plus(HOUR);
        return valid(account, later).claim("nbf", later.getEpochSecond()).expiresAt(later.plus(HOUR))
                .jws().keyId("firstvisit-dev").sign(Tokens.devKey());
    }

    /** iat an hour in the future and no nbf: only an issued-at check can refuse it. */
    static String issuedInTheFuture(String account) {
        Instant later = Instant.now().plus(HOUR);
        return valid(account, later).expiresAt(later.plus(HOUR)).jws().keyId("firstvisit-dev").sign(Tokens.devKey());
    }

    static String wrongIssuer(String account) {
        return valid(account, Instant.now()).issuer("https://idp.attacker.example").jws().keyId("firstvisit-dev").sign(Tokens.devKey());
    }

    static String signedWithAnotherKey(String account) {
        return valid(account, Instant.now()).jws().keyId("firstvisit-dev").sign(freshRsaKey());
    }

    /** The classic: {@code alg: none}, the claims of a valid token, an empty signature. */
    static String unsigned(String account) {
        String header = B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + part(Tokens.patient(account), 1) + ".";
    }

    /** A valid RS256 header and claims with the signature cut off. */
    static String signatureStripped(String account) {
        String token = Tokens.patient(account);
        return token.substring(0, token.lastIndexOf('.') + 1);
    }

    /** A valid token of {@code attacker} whose claims were re-encoded to name {@code victim}; signature kept. */
    static String tampered(String attacker, String victim) {
        String token = Tokens.patient(attacker);
        String claims = new String(B64_DECODE.decode(part(token, 1)), StandardCharsets.UTF_8)
                .replace("\"" + attacker + "\"", "\"" + victim + "\"");
        return part(token, 0) + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + part(token, 2);
    }

    /** A valid token of {@code account} turned into a scheduler token by editing its groups; signature kept. */
    static String escalated(String account) {
        String token = Tokens.patient(account);
        String claims = new String(B64_DECODE.decode(part(token, 1)), StandardCharsets.UTF_8)
                .replace("\"patient\"", "\"scheduler\"");
        return part(token, 0) + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + part(token, 2);
    }

    static String withoutSubject() {
        Instant now = Instant.now();
        return Jwt.issuer(Tokens.ISSUER).groups(Set.of("patient", "scheduler")).issuedAt(now).expiresAt(now.plus(HOUR))
                .jws().keyId("firstvisit-dev").sign(Tokens.devKey());
    }

    /** Signed properly, for a century: a credential that never has to be stolen twice. */
    static String centuryLong(String account) {
        Instant now = Instant.now();
        return valid(account, now).expiresAt(now.plus(Duration.ofDays(36_525))).jws().keyId("firstvisit-dev").sign(Tokens.devKey());
    }

    /** A sub with a NUL in it: it reached PostgreSQL (and a 500) before the subject was checked. */
    static String subjectWithNul(String account) {
        return valid(account + "\u0000x", Instant.now()).jws().keyId("firstvisit-dev").sign(Tokens.devKey());
    }

    static String subjectTooLong(String account) {
        return valid(account + "-" + "a".repeat(200), Instant.now()).jws().keyId("firstvisit-dev").sign(Tokens.devKey());
    }

    /** For the audience check (AudienceTest): {@code audience} null leaves the claim out. */
    static String withAudience(String account, String audience) {
        JwtClaimsBuilder claims = valid(account, Instant.now());
        if (audience != null) {
            claims.audience(audience);
        }
        return claims.jws().keyId("firstvisit-dev").sign(Tokens.devKey());
    }

    static String blankSubject() {
        return valid("   ", Instant.now()).jws().keyId("firstvisit-dev").sign(Tokens.devKey());
    }

    /**
     * Algorithm confusion: HS256 with the server's RSA public key (which is public) as the HMAC secret.
     * A verifier that lets the token choose its algorithm accepts this.
     */
    static String hmacWithThePublicKey(String account) {
        try {
            String publicPem = Files.readString(Path.of("src/main/resources/dev-keys/public.pem"));
            return valid(account, Instant.now()).jws().algorithm(SignatureAlgorithm.HS256).keyId("firstvisit-dev")
                    .signWithSecret(publicPem);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String withGroups(String account, String... groups) {
        return Jwt.issuer(Tokens.ISSUER).subject(account).upn(account).groups(Set.of(groups))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plus(HOUR))
                .jws().keyId("firstvisit-dev").sign(Tokens.devKey());
    }

    static String withoutGroups(String account) {
        return Jwt.issuer(Tokens.ISSUER).subject(account).upn(account)
                .issuedAt(Instant.now()).expiresAt(Instant.now().plus(HOUR))
                .jws().keyId("firstvisit-dev").sign(Tokens.devKey());
    }

    private static JwtClaimsBuilder valid(String account, Instant issuedAt) {
        return Jwt.issuer(Tokens.ISSUER).subject(account).upn(account).groups(Set.of("patient", "scheduler"))
                .issuedAt(issuedAt).expiresAt(issuedAt.plus(HOUR));
    }

    private static String part(String token, int index) {
        return token.split("\\.", -1)[index];
    }

    private static PrivateKey freshRsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
