package io.firstvisit.devconsole;

import io.firstvisit.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With the console enabled (as the dev profile has it), the page can sign in and pay: the tokens it mints are
 * accepted by the API as bin/dev-token's are, and a payment confirms only the caller's own held booking.
 */
@QuarkusTest
@TestProfile(DevConsoleOnTest.Enabled.class)
class DevConsoleOnTest {

    public static class Enabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("firstvisit.dev-console.enabled", "true");
        }
    }

    @Test
    void mintedTokensAreAcceptedForTheirGroups() {
        String account = "console-" + UUID.randomUUID();
        String patient = token(account, List.of());
        given().auth().oauth2(patient).get("/api/v1/patients").then().statusCode(200);
        given().auth().oauth2(patient).get("/api/v1/admin/bookings/" + UUID.randomUUID()).then().statusCode(403);

        String scheduler = token("console-ops", List.of("scheduler"));
        given().auth().oauth2(scheduler).get("/api/v1/admin/bookings/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void badTokenRequestsAreRefusedWithProblems() {
        given().contentType(ContentType.JSON).body(Map.of("account", "x", "groups", List.of("admin"))).post("/dev/tokens")
                .then().statusCode(400).body("type", equalTo("https://firstvisit.dev/problems/invalid-request"))
                .body("errors.field", hasItem(startsWith("groups")));
        given().contentType(ContentType.JSON).body(Map.of("account", "")).post("/dev/tokens").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"account\":\"a\u0000b\"}").post("/dev/tokens").then().statusCode(400);
    }

    @Test
    void payConfirmsTheCallersHeldBookingOnly() {
        String slot = Api.openPaidSlot(2, 3000);
        String account = "console-pay-" + slot;
        String booking = Api.book(account, null, slot, Api.patient(account)).then().statusCode(201)
                .body("status", equalTo("PENDING_PAYMENT")).extract().path("id");

        given().auth().oauth2(token("someone-else-" + slot, List.of())).contentType(ContentType.JSON)
                .body(Map.of("bookingId", booking)).post("/dev/payments")
                .then().statusCode(404).body("type", equalTo("https://firstvisit.dev/problems/booking-not-found"));
        assertEquals("PENDING_PAYMENT", Api.booking(booking).getString("status"));

        String parent = token(account, List.of());
        given().auth().oauth2(parent).contentType(ContentType.JSON).body(Map.of("bookingId", booking)).post("/dev/payments")
                .then().statusCode(200).body("status", equalTo("CONFIRMED"));
        assertEquals("CONFIRMED", Api.booking(booking).getString("status"));
        assertEquals(3000, Api.booking(booking).getInt("fee"));

        // Paying again is a second payment: the payment system's route says it must be refunded.
        given().auth().oauth2(parent).contentType(ContentType.JSON).body(Map.of("bookingId", booking)).post("/dev/payments")
                .then().statusCode(409).body("type", equalTo("https://firstvisit.dev/problems/already-paid"));
    }

    private static String token(String account, List<String> groups) {
        return given().contentType(ContentType.JSON).body(Map.of("account", account, "groups", groups)).post("/dev/tokens")
                .then().statusCode(200).body("account", equalTo(account)).extract().path("token");
    }
}
