package io.firstvisit.payment;

import io.firstvisit.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.firstvisit.support.Api.book;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's bin/dev-pay signs a payment notification the dev and test profiles accept. */
@QuarkusTest
class DevPayTest {

    @Test
    void devPayPaysTheBookingsFeeAndAWrongAmountIsRefused() throws Exception {
        String slot = Api.openPaidSlot(2, 1200);
        String account = "dev-pay-" + slot;
        String booking = book(account, null, slot, Api.patient(account)).then().statusCode(201).extract().path("id");

        String wrong = run(booking, "1199");
        assertTrue(wrong.contains("amount-mismatch"), wrong);
        assertEquals("PENDING_PAYMENT", Api.booking(booking).getString("status"));

        String paid = run(booking);
        assertTrue(paid.contains("\"status\":\"CONFIRMED\""), paid);
        assertEquals("CONFIRMED", Api.booking(booking).getString("status"));
    }

    @Test
    void usageErrorsExitWith64() throws Exception {
        Process p = new ProcessBuilder("bin/dev-pay").redirectErrorStream(true).start();
        assertEquals(64, p.waitFor());
    }

    private static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bin/dev-pay"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FIRSTVISIT_URL", RestAssured.baseURI + ":" + RestAssured.port);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
