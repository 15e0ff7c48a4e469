package io.firstvisit.devconsole;

import io.firstvisit.common.HospitalTime;
import io.firstvisit.common.JsonCodec;
import io.firstvisit.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Development tokens, as bin/dev-token makes them: RS256 with the development key, 24 hours, the issuer the
 * profile trusts. The key is read from a file on first use (it is not in the packaged application).
 */
@ApplicationScoped
public class DevTokens {

    public static final Duration LIFETIME = Duration.ofHours(24);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"firstvisit-dev\"}";

    private final DevConsoleConfig config;
    private final JsonCodec json;
    private final HospitalTime time;
    private final String issuer;
    private volatile PrivateKey key;

    public DevTokens(DevConsoleConfig config, JsonCodec json, HospitalTime time,
                     @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer) {
        this.config = config;
        this.json = json;
        this.time = time;
        this.issuer = issuer;
    }

    public record Minted(String token, Instant expiresAt) {
    }

    public Minted mint(String account, List<String> groups) {
        Instant now = time.now();
        Instant expires = now.plus(LIFETIME);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("aud", "firstvisit");
        claims.put("sub", account);
        claims.put("upn", account);
        claims.put("groups", groups);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        String input = encode(HEADER) + "." + encode(json.write(claims));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key());
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return new Minted(input + "." + B64.encodeToString(rsa.sign()), expires);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withRSA unavailable", e);
        }
    }

    private PrivateKey key() {
        PrivateKey loaded = key;
        if (loaded == null) {
            loaded = read(Path.of(config.privateKey()));
            key = loaded;
        }
        return loaded;
    }

    private static PrivateKey read(Path file) {
        try {
            String pem = Files.readString(file, StandardCharsets.US_ASCII)
                    .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            throw Problem.of(500, "dev-key-unreadable", "dev-key-unreadable", file);
        }
    }

    private static String encode(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
