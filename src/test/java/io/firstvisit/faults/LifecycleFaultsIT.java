package io.firstvisit.faults;

import io.firstvisit.common.Signature;
import io.firstvisit.faults.harness.Commands;
import io.firstvisit.faults.harness.ServiceProcess;
import io.firstvisit.faults.harness.Stack;
import io.firstvisit.payment.PaymentSecretCheck;
import io.firstvisit.testkit.FirstVisitClient;
import io.firstvisit.testkit.FirstVisitClient.Publication;
import io.firstvisit.testkit.FirstVisitClient.SlotSpec;
import io.firstvisit.support.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

/**
 * Issue 10, "extend the fault suite where the lifecycle adds a window": payments arriving while Redis is
 * down, and payment holds falling due while PostgreSQL is down. Packaged service, its own PostgreSQL and
 * Redis processes, a payment window of {@link #WINDOW} so holds fall due within the test.
 */
class LifecycleFaultsIT {

    private static final Duration WINDOW = Duration.ofSeconds(12);
    private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    private static final int FEE = 900;
    private static final int HOLDS = 10;
    private static final String OUTAGE = "[test] PostgreSQL goes down now";
    private static Stack stack;
    private static int days;

    @BeforeAll
    static void startStack() {
        stack = Stack.start("lifecycle-faults", 1, Map.of("FIRSTVISIT_BOOKING_PAYMENT_WINDOW", WINDOW.toSeconds() + "s"));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Timeout(value = 150, threadMode = SEPARATE_THREAD)
    void paymentsArrivingWhileRedisIsDownConfirmTheirBookingsAndTheInventoryIsRebuiltRight() {
        ServiceProcess service = stack.service();
        String slot = paidSlot(service, HOLDS + 5);
        List<String> holds = hold(service, slot, HOLDS);

        stack.redis().kill9();
        List<Integer> answers = new ArrayList<>();
        for (String booking : holds) {
            answers.add(pay(service, booking).statusCode());
        }
        stack.redis().restartEmpty();

        assertEquals(HOLDS, answers.stream().filter(s -> s == 200).count(), "payments need PostgreSQL only: " + answers);
        for (String booking : holds) {
            assertEquals("CONFIRMED", booking(service, booking));
        }
        // Redis lost everything; its inventory comes back from PostgreSQL with the paid seats held (I4).
        awaitTrue(Duration.ofSeconds(30), () -> remaining(service, slot) == 5, "remaining 5 of " + (HOLDS + 5) + " after the rebuild");
        assertEquals(HOLDS, active(service, slot));
    }

    @Test
    @Timeout(value = 150, threadMode = SEPARATE_THREAD)
    void holdsFallingDueWhilePostgresIsDownExpireOnceItIsBackAndTheirSeatsReturn() {
        ServiceProcess service = stack.service();
        String slot = paidSlot(service, HOLDS);
        List<String> holds = hold(service, slot, HOLDS);
        assertEquals(0, remaining(service, slot));
        Instant due = Instant.now().plus(WINDOW);

        service.process().note(OUTAGE);
        stack.postgres().crash();
        long down = System.nanoTime();
        // Stay down past every hold's deadline: the sweeps in between fail and are retried.
        Commands.pause(Duration.between(Instant.now(), due).plusSeconds(2));
        stack.postgres().restart();
        long back = System.nanoTime();

        awaitTrue(Duration.ofSeconds(30), () -> remaining(service, slot) == HOLDS, "every expired seat back in Redis");
        double seconds = (System.nanoTime() - back) / 1e9;
        for (String booking : holds) {
            assertEquals("EXPIRED", booking(service, booking));
        }
        assertEquals(0, active(service, slot));
        assertTrue(seconds < 15, "expired within the reaper interval plus reconnecting after PostgreSQL's return: " + seconds + " s");
        assertTrue((back - down) / 1e9 >= WINDOW.toSeconds() - 1, "PostgreSQL was down across the deadline");
        // Every sweep failed while PostgreSQL was down (one a second), but the log says so once, without a stack trace.
        assertEquals(1, service.logLines("Payment-hold sweep did not finish", OUTAGE).size(), "one WARN for the outage");
        assertEquals(1, service.logLines("Payment-hold sweep succeeds again", OUTAGE).size(), "one INFO when it is over");
        assertEquals(List.of(), service.logLines(" ERROR ", OUTAGE), "no ERROR during a PostgreSQL outage the service rides out");
        // A late payment for one of them is refused, to be refunded.
        assertEquals(409, pay(service, holds.get(0)).statusCode());
    }

    private static List<String> hold(ServiceProcess service, String slot, int count) {
        List<String> bookings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String token = Tokens.patient("lifecycle-" + i + "-" + slot);
            String patient = api(service, token).body(Map.of("name", "Child", "birthDate", LocalDate.now(BEIJING).minusYears(6).toString(),
                    "sex", "MALE")).post("/api/v1/patients").then().statusCode(201).extract().path("id");
            bookings.add(api(service, token).body(Map.of("slotId", slot, "patientId", patient)).post("/api/v1/bookings")
                    .then().statusCode(201).extract().path("id"));
        }
        return bookings;
    }

    private static String paidSlot(ServiceProcess service, int capacity) {
        String scheduler = Tokens.scheduler("lifecycle-faults");
        FirstVisitClient client = new FirstVisitClient(service.baseUrl());
        String doctor = client.doctor(scheduler, "BCH", "NUTRITION", "Dr. Lifecycle", true);
        OffsetDateTime start = LocalDate.now(BEIJING).plusDays(5 + ++days).atTime(9, 0).atOffset(BEIJING);
        SlotSpec slot = new SlotSpec(start, start.plusMinutes(15), capacity, FEE);
        return client.publish(scheduler, Publication.firstCome(doctor, OffsetDateTime.now(BEIJING).minusMinutes(1), List.of(slot)))
                .get(0).id();
    }

    private static Response pay(ServiceProcess service, String booking) {
        byte[] body = ("{\"bookingId\":\"" + booking + "\",\"paymentId\":\"fault-" + UUID.randomUUID() + "\",\"amount\":" + FEE
                + ",\"paidAt\":\"" + OffsetDateTime.now(BEIJING) + "\"}").getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        return given().baseUri(service.baseUrl()).contentType(ContentType.JSON)
                .header(Signature.TIMESTAMP_HEADER, Long.toString(now))
                .header(Signature.SIGNATURE_HEADER, new Signature(PaymentSecretCheck.DEV_SECRET).sign(now, body))
                .body(body).post("/api/v1/payments/notifications");
    }

    private static String booking(ServiceProcess service, String booking) {
        return given().baseUri(service.baseUrl()).auth().oauth2(Tokens.scheduler("lifecycle-faults")).get("/api/v1/admin/bookings/" + booking)
                .then().statusCode(200).extract().path("status");
    }

    /** Remaining places from Redis, or -1 while the service cannot say (503). */
    private static int remaining(ServiceProcess service, String slot) {
        Response counts = given().baseUri(service.baseUrl()).auth().oauth2(Tokens.scheduler("lifecycle-faults"))
                .get("/api/v1/admin/slots/" + slot);
        return counts.statusCode() == 200 ? counts.path("remaining") : -1;
    }

    private static int active(ServiceProcess service, String slot) {
        return given().baseUri(service.baseUrl()).auth().oauth2(Tokens.scheduler("lifecycle-faults")).get("/api/v1/admin/slots/" + slot)
                .then().statusCode(200).extract().path("confirmed");
    }

    private static void awaitTrue(Duration within, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            Commands.pause(Duration.ofMillis(250));
        }
    }

    private static RequestSpecification api(ServiceProcess service, String token) {
        return given().baseUri(service.baseUrl()).auth().oauth2(token).contentType(ContentType.JSON);
    }
}
