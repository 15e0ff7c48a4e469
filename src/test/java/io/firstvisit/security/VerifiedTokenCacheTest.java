package io.firstvisit.security;

import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Verified tokens are recognised again without a new RSA check, and still expire on time. */
@QuarkusTest
class VerifiedTokenCacheTest {

    @Inject
    JWTParser parser;

    @Test
    void theServiceUsesTheCachingParser() {
        assertInstanceOf(VerifiedTokenCache.class, parser);
    }

    @Test
    void aCachedTokenIsStillRefusedOnceExpired() throws InterruptedException {
        long now = Instant.now().getEpochSecond();
        // Valid for about 2 more seconds: expired 58 s ago, within the 60 s clock skew smallrye-jwt allows.
        String token = Jwt.issuer(Tokens.ISSUER).subject("cache-expiry").groups(Set.of("patient"))
                .issuedAt(now - 3600).expiresAt(now - 58).jws().keyId("firstvisit-dev").sign(Tokens.devKey());
        given().auth().oauth2(token).get("/api/v1/patients").then().statusCode(200);
        given().auth().oauth2(token).get("/api/v1/patients").then().statusCode(200); // from the cache

        Thread.sleep(3000);

        given().auth().oauth2(token).get("/api/v1/patients").then().statusCode(401);
    }

    @Test
    void aTamperedCopyOfACachedTokenIsRefused() {
        String token = Tokens.patient("cache-tamper");
        given().auth().oauth2(token).get("/api/v1/patients").then().statusCode(200);
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        given().auth().oauth2(forged).get("/api/v1/patients").then().statusCode(401);
    }
}
