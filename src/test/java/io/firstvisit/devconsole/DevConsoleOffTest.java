package io.firstvisit.devconsole;

import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Outside dev (here: the test profile, which leaves firstvisit.dev-console.enabled false) the development
 * console does not exist: every /dev route, with or without a token or a body, answers as an unknown path does,
 * and the API document does not name it. The booking page is served and carries no key or secret.
 */
@QuarkusTest
class DevConsoleOffTest {

    @Test
    void devRoutesAnswerAsUnknownPaths() {
        Response unknown = given().contentType(ContentType.JSON).body("{}").post("/no-such-route/tokens");
        assertEquals(404, unknown.statusCode());
        String unknownBody = withoutInstance(unknown);

        Map<String, Supplier<Response>> probes = Map.of(
                "token", () -> given().contentType(ContentType.JSON).body(Map.of("account", "prober", "groups", java.util.List.of("scheduler")))
                        .post("/dev/tokens"),
                "token, bad body", () -> given().contentType(ContentType.JSON).body("{\"nonsense\":1}").post("/dev/tokens"),
                "token, no body", () -> given().post("/dev/tokens"),
                "pay, no token", () -> given().contentType(ContentType.JSON).body("{\"bookingId\":\"x\"}").post("/dev/payments"),
                "pay, with token", () -> given().auth().oauth2(Tokens.patient("prober")).contentType(ContentType.JSON)
                        .body("{\"bookingId\":\"6b1f0c7e-0000-4000-8000-000000000001\"}").post("/dev/payments"),
                "trailing slash", () -> given().contentType(ContentType.JSON).body(Map.of("account", "prober")).post("/dev/tokens/"),
                "get", () -> given().get("/dev/tokens"),
                "root", () -> given().get("/dev"));
        probes.forEach((name, probe) -> {
            Response answer = probe.get();
            assertEquals(404, answer.statusCode(), name + ": " + answer.asString());
            assertEquals(unknownBody, withoutInstance(answer), name);
        });
    }

    @Test
    void theApiDocumentDoesNotNameTheConsole() {
        given().get("/q/openapi").then().statusCode(200).body(not(containsString("/dev/")));
    }

    @Test
    void theBookingPageIsServedWithoutSecrets() {
        for (String file : new String[]{"/", "/app.js", "/app.css"}) {
            given().get(file).then().statusCode(200)
                    .body(not(containsString("PRIVATE KEY")))
                    .body(not(containsString("payment-secret")));
        }
        given().get("/").then().body(containsString("lang=\"zh-CN\""));
    }

    private static String withoutInstance(Response response) {
        return response.asString().replaceAll("\"instance\":\"[^\"]*\",?", "");
    }
}
