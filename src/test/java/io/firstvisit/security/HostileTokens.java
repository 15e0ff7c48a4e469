package io.firstvisit.security;

import io.firstvisit.support.Tokens;
import io.firstvisit.testkit.DevTokens;
import io.firstvisit.testkit.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Bearer tokens an attacker or a broken client sends: each is wrong in exactly one way, and every
 * other claim is what a valid token carries (the test kit's {@link DevTokens} claims, signed by it),
 * so a 401 can only come from that one flaw.
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
        Map<String, Object> claims = valid(account, now.minus(HOUR.multipliedBy(2)));
        claims.put("exp", now.minus(HOUR).getEpochSecond());
        return sign(claims);
    }

    /** Issued and valid only from an hour from now (iat and nbf both in the future). */
    static String notYetValid(String account) {
        Instant later = Instant.now().plus(HOUR);
        Map<String, Object> claims = valid(account, later);
        claims.put("nbf", later.getEpochSecond());
        claims.put("exp", later.plus(HOUR).getEpochSecond());
        return sign(claims);
    }

    /** iat an hour in the future and no nbf: only an issued-at check can refuse it. */
    static String issuedInTheFuture(String account) {
        Instant later = Instant.now().plus(HOUR);
        Map<String, Object> claims = valid(account, later);
        claims.put("exp", later.plus(HOUR).getEpochSecond());
        return sign(claims);
    }

    static String wrongIssuer(String account) {
        Map<String, Object> claims = valid(account, Instant.now());
        claims.put("iss", "https://idp.attacker.example");
        return sign(claims);
    }

    static String signedWithAnotherKey(String account) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            DevTokens attacker = Tokens.dev().signingWith(generator.generateKeyPair().getPrivate());
            return attacker.sign(DevTokens.HEADER, Json.write(valid(account, Instant.now())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classic: {@code alg: none}, the claims of a valid token, an empty signature. */
    static String unsigned(String account) {
        return DevTokens.base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + part(Tokens.patient(account), 1) + ".";
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
        Map<String, Object> claims = valid("nobody", Instant.now());
        claims.remove("sub");
        claims.remove("upn");
        return sign(claims);
    }

    /** Signed properly, for a century: a credential that never has to be stolen twice. */
    static String centuryLong(String account) {
        Instant now = Instant.now();
        Map<String, Object> claims = valid(account, now);
        claims.put("exp", now.plus(Duration.ofDays(36_525)).getEpochSecond());
        return sign(claims);
    }

    /** A sub with a NUL in it: it reached PostgreSQL (and a 500) before the subject was checked. */
    static String subjectWithNul(String account) {
        return sign(valid(account + "\u0000x", Instant.now()));
    }

    static String subjectTooLong(String account) {
        return sign(valid(account + "-" + "a".repeat(200), Instant.now()));
    }

    /** For the audience check (AudienceTest): {@code audience} null leaves the claim out. */
    static String withAudience(String account, String audience) {
        Map<String, Object> claims = valid(account, Instant.now());
        if (audience == null) {
            claims.remove("aud");
        } else {
            claims.put("aud", audience);
        }
        return sign(claims);
    }

    static String blankSubject() {
        return sign(valid("   ", Instant.now()));
    }

    /**
     * Algorithm confusion: HS256 with the server's RSA public key (which is public) as the HMAC secret.
     * A verifier that lets the token choose its algorithm accepts this.
     */
    static String hmacWithThePublicKey(String account) {
        try {
            byte[] secret = Files.readAllBytes(Path.of("src/main/resources/dev-keys/public.pem"));
            String signingInput = DevTokens.base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + DevTokens.KEY_ID + "\"}")
                    + "." + DevTokens.base64Url(Json.write(valid(account, Instant.now())));
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return signingInput + "." + B64.encodeToString(hmac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String withGroups(String account, String... groups) {
        return Tokens.dev().mint(account, groups);
    }

    static String withoutGroups(String account) {
        Map<String, Object> claims = valid(account, Instant.now());
        claims.remove("groups");
        return sign(claims);
    }

    /** A patient and scheduler token's claims, valid from {@code issuedAt}: each method above breaks one. */
    private static Map<String, Object> valid(String account, Instant issuedAt) {
        return Tokens.dev().claims(account, issuedAt, "patient", "scheduler");
    }

    private static String sign(Map<String, Object> claims) {
        return Tokens.dev().sign(DevTokens.HEADER, Json.write(claims));
    }

    private static String part(String token, int index) {
        return token.split("\\.", -1)[index];
    }
}
