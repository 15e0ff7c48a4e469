package io.firstvisit.webhook;

import io.firstvisit.common.Signature;
import io.firstvisit.support.Api;
import io.firstvisit.support.PaymentNotifications;
import io.firstvisit.support.Receiver;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static io.firstvisit.support.Api.book;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10 §6: webhooks deliver every event, signed, at least once, in order per booking, with retries. */
@QuarkusTest
class WebhookTest {

    private static final String SECRET = "webhook-test-secret-0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ADMIN = Tokens.scheduler("webhook-admin");

    @Inject
    WebhookDispatcher dispatcher;

    @Test
    void everyEventIsDeliveredSignedAndInOrderPerBooking() throws Exception {
        try (Receiver receiver = Receiver.start(request -> 200)) {
            String webhook = register(receiver.url(), EventTypes.ALL);
            try {
                String slot = Api.openPaidSlot(2, 2500);
                String parent = "hook-order-" + slot;
                String booking = book(parent, null, slot, Api.patient(parent)).then().statusCode(201).extract().path("id");
                PaymentNotifications.pay(booking, "hook-" + UUID.randomUUID(), 2500).then().statusCode(200);
                given().auth().oauth2(Tokens.patient(parent)).delete("/api/v1/bookings/" + booking).then().statusCode(200);
                String other = "hook-other-" + slot;
                String free = Api.openSlot(1);
                String second = book(other, null, free, Api.patient(other)).then().statusCode(201).extract().path("id");

                deliverUntil(() -> receiver.requestsFor(booking).size() == 3 && receiver.requestsFor(second).size() == 1, Instant::now);

                assertEquals(List.of("booking.pending_payment", "booking.paid", "booking.cancelled"),
                        receiver.requestsFor(booking).stream().map(r -> r.json().getString("type")).toList());
                assertEquals("booking.confirmed", receiver.requestsFor(second).get(0).json().getString("type"));
                Signature signature = new Signature(SECRET);
                for (Receiver.Request request : receiver.requests()) {
                    assertTrue(signature.verifies(request.header(Signature.TIMESTAMP_HEADER), request.header(Signature.SIGNATURE_HEADER),
                            request.body(), Instant.now()), "signed with the webhook's secret");
                    assertEquals(request.json().getString("id"), request.header("X-FirstVisit-Event-Id"));
                }
                JsonPath cancelled = receiver.requestsFor(booking).get(2).json();
                assertEquals(true, cancelled.getBoolean("data.refundDue"));
                List<Map<String, Object>> deliveries = deliveries(webhook, "DELIVERED");
                assertTrue(deliveries.stream().filter(d -> booking.equals(d.get("bookingId"))).allMatch(d -> ((Integer) d.get("attempts")) == 1));
            } finally {
                remove(webhook);
            }
        }
    }

    @Test
    void aReceiverThatFailsThreeTimesGetsTheEventOnTheFourthTry() throws Exception {
        try (Receiver receiver = Receiver.start(request -> request.attempt() <= 3 ? 503 : 204)) {
            String webhook = register(receiver.url(), List.of("booking.confirmed"));
            try {
                String slot = Api.openSlot(1);
                String parent = "hook-retry-" + slot;
                String booking = book(parent, null, slot, Api.patient(parent)).then().statusCode(201).extract().path("id");

                // Each round is one attempt for what is due; the clock given moves past every backoff.
                Instant[] now = {Instant.now()};
                deliverUntil(() -> receiver.requestsFor(booking).stream().anyMatch(r -> r.answered() == 204),
                        () -> now[0] = now[0].plus(Duration.ofHours(1)));

                List<Receiver.Request> tries = receiver.requestsFor(booking);
                assertEquals(4, tries.size(), "three refusals, then delivered");
                assertEquals(1, tries.stream().map(r -> r.json().getString("id")).distinct().count(), "the same event each time");
                assertEquals(List.of("1", "2", "3", "4"), tries.stream().map(r -> r.header("X-FirstVisit-Delivery-Attempt")).toList());
                Map<String, Object> delivery = deliveries(webhook, null).stream().filter(d -> booking.equals(d.get("bookingId")))
                        .findFirst().orElseThrow();
                assertEquals("DELIVERED", delivery.get("state"));
                assertEquals(4, delivery.get("attempts"));
            } finally {
                remove(webhook);
            }
        }
    }

    @Test
    void aReceiverThatIsDownKeepsNothingFromTheOthersAndEndsFailed() throws Exception {
        String down;
        try (Receiver gone = Receiver.start(request -> 200)) {
            down = gone.url(); // a port nobody listens on once closed
        }
        try (Receiver up = Receiver.start(request -> 200)) {
            String dead = register(down, List.of("booking.confirmed"));
            String live = register(up.url(), List.of("booking.confirmed"));
            try {
                String slot = Api.openSlot(3);
                String parent = "hook-down-" + slot;
                String booking = book(parent, null, slot, Api.patient(parent)).then().statusCode(201).extract().path("id");

                deliverUntil(() -> up.requestsFor(booking).size() == 1, Instant::now);
                Instant[] now = {Instant.now()};
                deliverUntil(() -> deliveries(dead, "FAILED").stream().anyMatch(d -> booking.equals(d.get("bookingId"))),
                        () -> now[0] = now[0].plus(Duration.ofHours(1)));

                Map<String, Object> failed = deliveries(dead, "FAILED").stream().filter(d -> booking.equals(d.get("bookingId")))
                        .findFirst().orElseThrow();
                assertEquals(10, failed.get("attempts"), "firstvisit.webhooks.max-attempts");
                assertTrue(String.valueOf(failed.get("lastError")).contains("ConnectException"), String.valueOf(failed.get("lastError")));
                assertEquals(1, up.requestsFor(booking).size(), "the live receiver got it once, on time");
            } finally {
                remove(dead);
                remove(live);
            }
        }
    }

    @Test
    void registrationsAreValidatedAndOnlyForTheHospitalsSystems() {
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                .body(Map.of("url", "ftp://127.0.0.1/x", "events", List.of("booking.confirmed"), "secret", SECRET))
                .post("/api/v1/admin/webhooks").then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("url"));
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/x", "events", List.of("booking.exploded"), "secret", SECRET))
                .post("/api/v1/admin/webhooks").then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("events[0]"));
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/x", "events", List.of("booking.confirmed"), "secret", "short"))
                .post("/api/v1/admin/webhooks").then().statusCode(400).body("type", endsWith("/invalid-request"));
        given().auth().oauth2(Tokens.patient("hook-parent")).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/x", "events", List.of("booking.confirmed"), "secret", SECRET))
                .post("/api/v1/admin/webhooks").then().statusCode(403);
        given().auth().oauth2(ADMIN).get("/api/v1/admin/webhooks/" + UUID.randomUUID() + "/deliveries").then().statusCode(404)
                .body("type", endsWith("/webhook-not-found"));
        String webhook = register("http://127.0.0.1:9/x", List.of("booking.confirmed"));
        given().auth().oauth2(Tokens.sign("his", "integration")).get("/api/v1/admin/webhooks").then().statusCode(200)
                .body("find { it.id == '" + webhook + "' }.secret", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(ADMIN).queryParam("state", "LOST").get("/api/v1/admin/webhooks/" + webhook + "/deliveries").then().statusCode(400);
        remove(webhook);
        given().auth().oauth2(ADMIN).delete("/api/v1/admin/webhooks/" + webhook).then().statusCode(204);
        given().auth().oauth2(ADMIN).delete("/api/v1/admin/webhooks/" + UUID.randomUUID()).then().statusCode(404);
    }

    /** Runs the dispatcher (at the instant {@code clock} gives each round) until {@code done}; at most 40 rounds. */
    private void deliverUntil(BooleanSupplier done, java.util.function.Supplier<Instant> clock) {
        for (int round = 0; round < 40 && !done.getAsBoolean(); round++) {
            dispatcher.deliverDue(clock.get()).await().atMost(WAIT);
        }
        assertTrue(done.getAsBoolean(), "delivered within 40 dispatcher rounds");
    }

    private static String register(String url, List<String> events) {
        return given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                .body(Map.of("url", url, "events", events, "secret", SECRET))
                .post("/api/v1/admin/webhooks").then().statusCode(201).extract().path("id");
    }

    private static void remove(String webhook) {
        given().auth().oauth2(ADMIN).delete("/api/v1/admin/webhooks/" + webhook).then().statusCode(204);
    }

    private static List<Map<String, Object>> deliveries(String webhook, String state) {
        var request = given().auth().oauth2(ADMIN).queryParam("limit", 1000);
        if (state != null) {
            request.queryParam("state", state);
        }
        return request.get("/api/v1/admin/webhooks/" + webhook + "/deliveries").then().statusCode(200).extract().jsonPath().getList("$");
    }
}
