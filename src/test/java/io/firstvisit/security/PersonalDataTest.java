package io.firstvisit.security;

import io.firstvisit.support.Api;
import io.firstvisit.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static io.firstvisit.support.Api.book;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names and birth dates stay in PostgreSQL: never in logs, metrics or the audit trail. */
@QuarkusTest
class PersonalDataTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void namesAndBirthDatesNeverReachLogsOrMetrics() throws Exception {
        String name = "Zhang Sanfeng " + UUID.randomUUID();
        String birthDate = "2019-07-23";
        String account = "pii-" + UUID.randomUUID();
        String patient = given().auth().oauth2(Tokens.patient(account)).contentType("application/json")
                .body(Map.of("name", name, "birthDate", birthDate, "sex", "MALE"))
                .post("/api/v1/patients").then().statusCode(201).extract().path("id");
        String slot = Api.openSlot(1);
        String booking = book(account, null, slot, patient).then().statusCode(201).extract().path("id");
        book(account, null, slot, patient).then().statusCode(409);
        given().auth().oauth2(Tokens.patient(account)).delete("/api/v1/bookings/" + booking).then().statusCode(200);
        // a hostile request that echoes a name into an error path
        given().auth().oauth2(Tokens.patient(account)).contentType("application/json")
                .body(Map.of("name", name + "\u0007", "birthDate", birthDate, "sex", "MALE"))
                .post("/api/v1/patients").then().statusCode(400);

        String metrics = given().port(management.getPort()).get("/q/metrics").then().statusCode(200).extract().asString();
        String history = given().auth().oauth2(Api.schedulerToken()).get("/api/v1/admin/bookings/" + booking + "/history").asString();
        Path log = Path.of("target/quarkus-test.log");
        assertTrue(Files.exists(log), "the test profile logs to " + log);
        String logged = Files.readString(log);

        for (String personal : new String[] {name, "Zhang Sanfeng", birthDate}) {
            assertFalse(logged.contains(personal), "log contains " + personal);
            assertFalse(metrics.contains(personal), "metrics contain " + personal);
            assertFalse(history.contains(personal), "audit trail contains " + personal);
        }
    }
}
