package io.firstvisit.security;

import io.firstvisit.support.Tokens;
import io.firstvisit.testkit.DevTokens;
import io.firstvisit.testkit.Json;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/dev-token (bash and openssl, what a person types) and the test kit's DevTokens (what every test, the load
 * tests and the bench mint with) make the same tokens: the service accepts both as the same account, and they carry
 * the same header and the same claims, with the same values where a value does not change per token.
 */
@QuarkusTest
class DevTokenScriptTest {

    @Test
    void theScriptAndTheKitMintTheSameTokens() throws Exception {
        String account = "dev-token-" + UUID.randomUUID();
        String fromScript = devToken(account, "patient");
        String fromKit = Tokens.patient(account);

        given().auth().oauth2(fromScript).get("/api/v1/patients").then().statusCode(200).body("size()", equalTo(0));
        String child = given().auth().oauth2(fromKit).contentType("application/json")
                .body(Map.of("name", "Child", "birthDate", "2021-06-01", "sex", "MALE"))
                .post("/api/v1/patients").then().statusCode(201).extract().path("id");
        given().auth().oauth2(fromScript).get("/api/v1/patients").then().statusCode(200).body("id", equalTo(List.of(child)));

        assertEquals(part(fromScript, 0), part(fromKit, 0), "header");
        Map<String, Object> script = Json.parseObject(part(fromScript, 1));
        Map<String, Object> kit = Json.parseObject(part(fromKit, 1));
        assertEquals(List.copyOf(script.keySet()), List.copyOf(kit.keySet()), "claim names, in order");
        for (String same : List.of("iss", "aud", "sub", "upn", "groups")) {
            assertEquals(script.get(same), kit.get(same), same);
        }
        assertEquals(DevTokens.AUDIENCE, kit.get("aud"));
        assertEquals(lifetime(script), lifetime(kit), "exp - iat");
        assertTrue(Math.abs(((Number) script.get("iat")).longValue() - ((Number) kit.get("iat")).longValue()) < 600, "both issued now");
    }

    @Test
    void aSchedulerTokenFromEitherOpensTheAdminRoutes() throws Exception {
        String account = "dev-token-ops-" + UUID.randomUUID();
        given().auth().oauth2(Tokens.patient(account)).get("/api/v1/admin/slots/" + UUID.randomUUID()).then().statusCode(403);
        for (String token : List.of(devToken(account, "scheduler"), Tokens.scheduler(account))) {
            given().auth().oauth2(token).get("/api/v1/admin/slots/" + UUID.randomUUID()).then().statusCode(404);
        }
    }

    private static long lifetime(Map<String, Object> claims) {
        return ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue();
    }

    private static String devToken(String account, String group) throws IOException, InterruptedException {
        Process script = new ProcessBuilder("bin/dev-token", account, group).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String token = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(script.waitFor(30, TimeUnit.SECONDS), "bin/dev-token ended");
        assertEquals(0, script.exitValue(), "bin/dev-token's exit code");
        return token;
    }

    private static String part(String token, int index) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
    }
}
