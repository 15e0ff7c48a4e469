package io.firstvisit.support;

import io.firstvisit.common.Signature;
import io.firstvisit.payment.PaymentSecretCheck;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;

import static io.restassured.RestAssured.given;

/** The hospital's payment system, as the tests play it: notifications signed with the test profile's secret. */
public final class PaymentNotifications {

    public static final String PATH = "/api/v1/payments/notifications";
    private static final Signature SIGNATURE = new Signature(PaymentSecretCheck.DEV_SECRET);

    private PaymentNotifications() {
    }

    public static String body(String bookingId, String paymentId, int amount) {
        return "{\"bookingId\":\"" + bookingId + "\",\"paymentId\":\"" + paymentId + "\",\"amount\":" + amount
                + ",\"paidAt\":\"" + OffsetDateTime.now(Api.BEIJING) + "\"}";
    }

    /** A correctly signed notification, sent now. */
    public static Response pay(String bookingId, String paymentId, int amount) {
        return send(body(bookingId, paymentId, amount), Instant.now().getEpochSecond(), SIGNATURE);
    }

    /** {@code body} signed at {@code epochSeconds} with {@code signature}'s secret. */
    public static Response send(String body, long epochSeconds, Signature signature) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return given().contentType(ContentType.JSON)
                .header(Signature.TIMESTAMP_HEADER, Long.toString(epochSeconds))
                .header(Signature.SIGNATURE_HEADER, signature.sign(epochSeconds, bytes))
                .body(bytes)
                .post(PATH);
    }

    /** The two headers of a correctly signed notification, for requests sent another way. */
    public static java.util.Map<String, String> headers(String body) {
        long now = Instant.now().getEpochSecond();
        return java.util.Map.of(Signature.TIMESTAMP_HEADER, Long.toString(now),
                Signature.SIGNATURE_HEADER, SIGNATURE.sign(now, body.getBytes(StandardCharsets.UTF_8)));
    }

    public static Signature devSignature() {
        return SIGNATURE;
    }
}
