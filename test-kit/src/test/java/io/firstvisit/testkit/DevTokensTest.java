package io.firstvisit.testkit;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the service's acceptance of these tokens rests on; DevTokenScriptTest has the service accept them. */
class DevTokensTest {

    private final DevTokens tokens = DevTokens.fromRepository();

    @Test
    void signsWithTheKeyWhosePublicHalfTheServiceTrusts() throws Exception {
        String trusted = Files.readString(Path.of("src/main/resources/dev-keys/public.pem"))
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        assertEquals(trusted, Base64.getEncoder().encodeToString(tokens.publicKey().getEncoded()));
        assertTrue(verifies(tokens.patient("parent-1")));
    }

    @Test
    void carriesTheDevTokenHeaderAndClaims() {
        String[] parts = tokens.mint("his", "integration", "scheduler").split("\\.");
        assertEquals(DevTokens.HEADER, decode(parts[0]));
        Map<String, Object> claims = Json.parseObject(decode(parts[1]));
        assertEquals(List.of("iss", "aud", "sub", "upn", "groups", "iat", "exp", "jti"), List.copyOf(claims.keySet()));
        assertEquals("firstvisit-dev", claims.get("iss"));
        assertEquals("firstvisit", claims.get("aud"));
        assertEquals("his", claims.get("sub"));
        assertEquals("his", claims.get("upn"));
        assertEquals(List.of("integration", "scheduler"), claims.get("groups"));
        long iat = ((Number) claims.get("iat")).longValue();
        assertTrue(Math.abs(iat - Instant.now().getEpochSecond()) < 600, "issued now");
        assertEquals(86_400, ((Number) claims.get("exp")).longValue() - iat);
    }

    @Test
    void everyTokenHasItsOwnJti() {
        assertNotEquals(claim(tokens.patient("a"), "jti"), claim(tokens.patient("a"), "jti"));
    }

    @Test
    void signsWhateverItIsGiven() throws Exception {
        String token = tokens.sign("{\"alg\":\"RS256\"}", "{\"sub\":\"x\"}");
        assertTrue(verifies(token));
        assertEquals("{\"sub\":\"x\"}", decode(token.split("\\.")[1]));
    }

    @Test
    void anotherKeyGivesATokenTheDevKeyDoesNotVerify() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        assertFalse(verifies(tokens.signingWith(generator.generateKeyPair().getPrivate()).patient("a")));
    }

    private boolean verifies(String token) throws Exception {
        int dot = token.lastIndexOf('.');
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(tokens.publicKey());
        rs256.update(token.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
        return rs256.verify(Base64.getUrlDecoder().decode(token.substring(dot + 1)));
    }

    private static Object claim(String token, String name) {
        return Json.parseObject(decode(token.split("\\.")[1])).get(name);
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
