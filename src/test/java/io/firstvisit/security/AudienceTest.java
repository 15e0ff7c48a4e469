package io.firstvisit.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * The audience check as production runs it (mp.jwt.verify.audiences, "firstvisit" unless JWT_AUDIENCE says
 * otherwise): a token minted for FirstVisit is accepted, one without an audience or for another service is not.
 */
@QuarkusTest
@TestProfile(AudienceTest.ProductionAudience.class)
class AudienceTest {

    public static class ProductionAudience implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.jwt.verify.audiences", "firstvisit");
        }
    }

    @Test
    void onlyTokensForFirstVisitAreAccepted() {
        String account = "audience-" + UUID.randomUUID();
        given().auth().oauth2(HostileTokens.withAudience(account, "firstvisit")).get("/api/v1/patients").then().statusCode(200);
        Problems.assertProblem(given().auth().oauth2(HostileTokens.withAudience(account, null)).get("/api/v1/patients"), 401, "unauthorized");
        Problems.assertProblem(given().auth().oauth2(HostileTokens.withAudience(account, "another-service")).get("/api/v1/patients"),
                401, "unauthorized");
    }
}
