package io.firstvisit.security;

import io.firstvisit.support.Tokens;
import io.firstvisit.testkit.DevTokens;
import io.firstvisit.testkit.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

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
        Map<String, Object> claims = Tokens.dev().claims("cache-expiry", Instant.ofEpochSecond(now - 3600), "patient");
        claims.put("exp", now - 58);
        String token = Tokens.dev().sign(DevTokens.HEADER, Json.write(claims));
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
