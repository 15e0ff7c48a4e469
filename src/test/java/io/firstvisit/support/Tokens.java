package io.firstvisit.support;

import io.smallrye.jwt.build.Jwt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/** Tokens signed with the development key, exactly as bin/dev-token mints them. */
public final class Tokens {

    public static final String ISSUER = "firstvisit-dev";
    private static final PrivateKey KEY = load(Path.of("bin/dev-keys/private.pem"));

    private Tokens() {
    }

    public static String patient(String account) {
        return sign(account, "patient");
    }

    public static String scheduler(String account) {
        return sign(account, "scheduler");
    }

    public static String sign(String account, String... groups) {
        Instant now = Instant.now();
        return Jwt.issuer(ISSUER).subject(account).upn(account).groups(Set.of(groups))
                .issuedAt(now).expiresAt(now.plus(Duration.ofHours(1)))
                .jws().keyId("firstvisit-dev").sign(KEY);
    }

    public static PrivateKey devKey() {
        return KEY;
    }

    private static PrivateKey load(Path pem) {
        try {
            String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the development key " + pem.toAbsolutePath(), e);
        }
    }
}
