package io.firstvisit.catalog;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's bin/dev-token mints tokens the dev and test profiles accept. */
@QuarkusTest
class DevTokenTest {

    @Test
    void patientAndSchedulerTokensWork() throws Exception {
        given().auth().oauth2(run("dev-token-parent", "patient")).get("/api/v1/patients").then().statusCode(200);
        given().auth().oauth2(run("dev-token-scheduler", "scheduler")).contentType("application/json")
                .body(Map.of("hospital", "BCH", "department", "GROWTH", "name", "Dr. Token", "title", "Chief", "firstVisitQualified", true))
                .post("/api/v1/admin/doctors").then().statusCode(201).body("hospital", equalTo("BCH"));
    }

    @Test
    void unknownGroupIsRefused() throws Exception {
        Process p = new ProcessBuilder("bin/dev-token", "someone", "admin").redirectErrorStream(true).start();
        assertEquals(64, p.waitFor());
    }

    @Test
    void hospitalsArePublicAndSeeded() {
        given().get("/api/v1/hospitals").then().statusCode(200)
                .body("code", hasItems("BCH", "CCMC"))
                .body("find { it.code == 'BCH' }.departments.code", hasItems("GROWTH", "NUTRITION", "DERMATOLOGY"))
                .body("find { it.code == 'CCMC' }.departments.find { it.code == 'DERMATOLOGY' }.maxPatientAge", equalTo(18));
    }

    private static String run(String account, String group) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bin/dev-token", account, group).start();
        String token = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor());
        return token;
    }
}
