package io.firstvisit.faults;

import io.firstvisit.common.Signature;
import io.firstvisit.faults.harness.ServiceProcess;
import io.firstvisit.faults.harness.Stack;
import io.firstvisit.payment.PaymentSecretCheck;
import io.firstvisit.testkit.FirstVisitClient;
import io.firstvisit.testkit.FirstVisitClient.Publication;
import io.firstvisit.testkit.FirstVisitClient.SlotSpec;
import io.firstvisit.support.Receiver;
import io.firstvisit.support.Tokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

/**
 * Issue 10 §6: the transactional outbox survives {@code kill -9}. Booking changes commit their events and
 * deliveries while the receiver is refusing them; the service is killed with deliveries pending, started
 * again, and then every event reaches the receiver, at least once and in order per booking.
 */
class WebhookOutboxIT {

    private static final String SECRET = "outbox-it-secret-0123456789abcdefghij";
    private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    private static final int BOOKINGS = 12;
    private static Stack stack;

    @BeforeAll
    static void startStack() {
        stack = Stack.start("webhook-outbox", 1);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Timeout(value = 150, threadMode = SEPARATE_THREAD)
    void everyEventIsDeliveredAfterAKillNineInOrderPerBooking() {
        ServiceProcess service = stack.service();
        AtomicBoolean receiving = new AtomicBoolean(false);
        try (Receiver receiver = Receiver.start(request -> receiving.get() ? 200 : 503)) {
            String scheduler = Tokens.scheduler("outbox-it");
            String webhook = api(service, scheduler).body(Map.of("url", receiver.url(), "events", List.of("booking.pending_payment", "booking.paid",
                    "booking.cancelled"), "secret", SECRET)).post("/api/v1/admin/webhooks").then().statusCode(201).extract().path("id");
            String slot = paidSlot(service, scheduler);

            // Each booking: held, paid, and every other one cancelled — two or three events, all committed
            // while the receiver refuses them.
            List<String> bookings = new ArrayList<>();
            for (int i = 0; i < BOOKINGS; i++) {
                String parent = "outbox-" + i + "-" + slot;
                String token = Tokens.patient(parent);
                String patient = api(service, token).body(Map.of("name", "Child", "birthDate", LocalDate.now(BEIJING).minusYears(4).toString(),
                        "sex", "FEMALE")).post("/api/v1/patients").then().statusCode(201).extract().path("id");
                String booking = api(service, token).body(Map.of("slotId", slot, "patientId", patient)).post("/api/v1/bookings")
                        .then().statusCode(201).extract().path("id");
                pay(service, booking);
                if (i % 2 == 0) {
                    api(service, token).delete("/api/v1/bookings/" + booking).then().statusCode(200);
                }
                bookings.add(booking);
            }
            List<Map<String, Object>> feed = feed(service, scheduler);
            assertEquals(BOOKINGS * 2 + BOOKINGS / 2, feed.size(), "every change has its event");

            List<Object> pending = given().baseUri(service.baseUrl()).auth().oauth2(scheduler).queryParam("state", "PENDING")
                    .queryParam("limit", 1000).get("/api/v1/admin/webhooks/" + webhook + "/deliveries").then().statusCode(200)
                    .extract().jsonPath().getList("id");
            assertEquals(feed.size(), pending.size(), "killed with every delivery still pending");
            service.kill9();
            receiving.set(true);
            service.relaunch();
            service.awaitReady(Stack.SERVICE_START);

            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (distinctDelivered(receiver) < feed.size() && System.nanoTime() < deadline) {
                io.firstvisit.faults.harness.Commands.pause(Duration.ofMillis(200));
            }
            assertEquals(feed.size(), distinctDelivered(receiver), "every event delivered after the restart");
            Signature signature = new Signature(SECRET);
            for (String booking : bookings) {
                List<Object> expected = feed.stream().filter(e -> booking.equals(e.get("bookingId"))).map(e -> e.get("id")).toList();
                List<Object> delivered = new ArrayList<>(new LinkedHashSet<>(receiver.requestsFor(booking).stream()
                        .filter(r -> r.answered() == 200).map(r -> r.json().getString("id")).toList()));
                assertEquals(expected, delivered, "booking " + booking + ": every event, in order");
            }
            assertTrue(receiver.requests().stream().allMatch(r -> signature.verifies(r.header(Signature.TIMESTAMP_HEADER),
                    r.header(Signature.SIGNATURE_HEADER), r.body(), Instant.now())));
        }
    }

    private static long distinctDelivered(Receiver receiver) {
        return receiver.requests().stream().filter(r -> r.answered() == 200).map(r -> r.json().getString("id")).distinct().count();
    }

    /** The outbox as the feed shows it (this stack's database holds only this test's events). */
    private static List<Map<String, Object>> feed(ServiceProcess service, String token) {
        return given().baseUri(service.baseUrl()).auth().oauth2(token).queryParam("limit", 1000).get("/api/v1/admin/events")
                .then().statusCode(200).extract().jsonPath().getList("events");
    }

    private static String paidSlot(ServiceProcess service, String scheduler) {
        FirstVisitClient client = new FirstVisitClient(service.baseUrl());
        String doctor = client.doctor(scheduler, "BCH", "DERMATOLOGY", "Dr. Outbox", true);
        OffsetDateTime start = LocalDate.now(BEIJING).plusDays(9).atTime(9, 0).atOffset(BEIJING);
        SlotSpec slot = new SlotSpec(start, start.plusMinutes(15), BOOKINGS, 1500);
        return client.publish(scheduler, Publication.firstCome(doctor, OffsetDateTime.now(BEIJING).minusMinutes(1), List.of(slot)))
                .get(0).id();
    }

    private static void pay(ServiceProcess service, String booking) {
        String body = "{\"bookingId\":\"" + booking + "\",\"paymentId\":\"outbox-" + UUID.randomUUID() + "\",\"amount\":1500,\"paidAt\":\""
                + OffsetDateTime.now(BEIJING) + "\"}";
        long now = Instant.now().getEpochSecond();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        given().baseUri(service.baseUrl()).contentType(ContentType.JSON)
                .header(Signature.TIMESTAMP_HEADER, Long.toString(now))
                .header(Signature.SIGNATURE_HEADER, new Signature(PaymentSecretCheck.DEV_SECRET).sign(now, bytes))
                .body(bytes).post("/api/v1/payments/notifications").then().statusCode(200);
    }

    private static RequestSpecification api(ServiceProcess service, String token) {
        return given().baseUri(service.baseUrl()).auth().oauth2(token).contentType(ContentType.JSON);
    }
}
