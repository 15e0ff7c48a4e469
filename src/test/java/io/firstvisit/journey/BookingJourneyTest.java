package io.firstvisit.journey;

import io.firstvisit.support.Api;
import io.firstvisit.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.UUID;

import static io.firstvisit.support.Api.book;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * Black-box checks over HTTP only, so the same class runs in-process (this test) and against the
 * packaged application ({@link BookingJourneyIT}, and the native binary where one can be built).
 */
@QuarkusTest
public class BookingJourneyTest {

    /** Health and metrics: the management interface's port, not the API's. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    protected int managementPort() {
        return management.getPort();
    }

    @Test
    void aParentBooksReplaysAndCancels() {
        String slot = Api.openSlot(2);
        String account = "journey-" + slot;
        String patient = Api.patient(account);
        String key = UUID.randomUUID().toString();

        String booking = book(account, key, slot, patient).then().statusCode(201)
                .header("Location", containsString("/api/v1/bookings/"))
                .body("status", equalTo("CONFIRMED")).extract().path("id");
        book(account, key, slot, patient).then().statusCode(201).body("id", equalTo(booking));
        book(account, null, slot, patient).then().statusCode(409).body("type", endsWith("/already-booked"));
        given().auth().oauth2(Api.schedulerToken()).get("/api/v1/admin/slots/" + slot)
                .then().statusCode(200).body("remaining", equalTo(1)).body("confirmed", equalTo(1));

        given().auth().oauth2(Tokens.patient(account)).delete("/api/v1/bookings/" + booking)
                .then().statusCode(200).body("status", equalTo("CANCELLED"));
        given().auth().oauth2(Api.schedulerToken()).get("/api/v1/admin/slots/" + slot)
                .then().statusCode(200).body("remaining", equalTo(2)).body("confirmed", equalTo(0));
    }

    @Test
    void errorsAreProblemJson() {
        given().auth().oauth2(Tokens.patient("journey-errors")).contentType("application/json").body("{\"slotId\":1}")
                .post("/api/v1/bookings").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/invalid-request"))
                .body("errors.field", hasItems("slotId"));
        given().contentType("application/json").body("{}").post("/api/v1/bookings")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void healthChecksRedisAndPostgres() {
        given().port(managementPort()).get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Redis connection health check", "Reactive PostgreSQL connections health check"));
        given().port(managementPort()).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsCountBookingOutcomesByReason() {
        String slot = Api.openSlot(1);
        String winner = "journey-metrics-a-" + slot;
        book(winner, null, slot, Api.patient(winner)).then().statusCode(201);
        String loser = "journey-metrics-b-" + slot;
        book(loser, null, slot, Api.patient(loser)).then().statusCode(409);

        given().port(managementPort()).get("/q/metrics").then().statusCode(200)
                .body(containsString("firstvisit_booking_outcomes_total{outcome=\"confirmed\""))
                .body(containsString("firstvisit_booking_outcomes_total{outcome=\"sold-out\""))
                .body(containsString("firstvisit_booking_outcomes_total{outcome=\"not-open\""))
                .body(containsString("firstvisit_inventory_drift_total"))
                .body(containsString("firstvisit_booking_batch_size"))
                .body(containsString("http_server_requests_seconds_bucket{"));
    }

    @Test
    void theApiIsDescribed() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/bookings"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/admin/slots"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
