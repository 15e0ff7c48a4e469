package io.firstvisit.payment.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstvisit.booking.BookingService;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.common.Ids;
import io.firstvisit.problem.Problem;
import io.firstvisit.common.Signature;
import io.firstvisit.payment.PaymentConfig;
import io.firstvisit.payment.Payments;
import io.firstvisit.payment.Payments.Decision;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

/**
 * Called by the hospital's payment system, not by parents: no token, but every notification is signed
 * ({@link Signature}) with the secret shared with it. The signature is checked on the raw body before
 * anything is parsed.
 */
@Path("/api/v1/payments/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "payments")
public class PaymentNotificationResource {

    private final Payments payments;
    private final Signature signature;
    private final ObjectMapper mapper;
    private final Validator validator;
    private final HospitalTime time;

    public PaymentNotificationResource(Payments payments, PaymentConfig config, ObjectMapper mapper, Validator validator, HospitalTime time) {
        this.payments = payments;
        this.signature = new Signature(config.secret());
        this.mapper = mapper;
        this.validator = validator;
        this.time = time;
    }

    /** The payment system's notification; {@code amount} in fen. */
    public record PaymentNotification(@NotNull @Pattern(regexp = Ids.UUID_PATTERN, message = "must be a booking id") String bookingId,
                                      @NotNull @Pattern(regexp = "^[\\x21-\\x7e]{1,100}$", message = "must be 1 to 100 printable ASCII characters") String paymentId,
                                      @NotNull @Min(0) @Max(1_000_000) Integer amount,
                                      @NotNull OffsetDateTime paidAt) {
    }

    public record PaymentAccepted(UUID bookingId, String paymentId, String status) {
    }

    @POST
    @Operation(operationId = "notifyPayment", summary = "A payment for a booking waiting for it (PENDING_PAYMENT); signed by the payment system",
            description = "Headers X-FirstVisit-Timestamp (epoch seconds, within 5 minutes of now) and X-FirstVisit-Signature: "
                    + "sha256=<hex HMAC-SHA256(secret, timestamp + \".\" + raw body)>. The same paymentId gives the same answer. "
                    + "409 hold-expired or already-paid: the payment must be refunded.")
    @APIResponse(responseCode = "200", description = "Recorded: the booking is CONFIRMED (the same paymentId answers the same)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PaymentAccepted.class)))
    @APIResponse(responseCode = "401", description = "`invalid-signature`: a missing or wrong signature, or a timestamp more than 5 minutes from now")
    @APIResponse(responseCode = "404", description = "`booking-not-found`")
    @APIResponse(responseCode = "409", description = "`hold-expired`, `already-paid`: the payment must be refunded (`refundDue`: true)")
    @APIResponse(responseCode = "422", description = "`amount-mismatch` (carries `expected`), `payment-id-reused`")
    @RequestBody(required = true, description = "Signed as sent: the signature covers these exact bytes",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PaymentNotification.class)))
    public Uni<PaymentAccepted> notify(byte[] body,
                                       @Parameter(required = true, description = "Epoch seconds, within 5 minutes of the server's clock")
                                       @HeaderParam(Signature.TIMESTAMP_HEADER) String timestamp,
                                       @Parameter(required = true, description = "sha256=<hex HMAC-SHA256(secret, timestamp + \".\" + raw body)>")
                                       @HeaderParam(Signature.SIGNATURE_HEADER) String signed) throws IOException {
        if (!signature.verifies(timestamp, signed, body, time.now())) {
            throw Problem.of(401, "invalid-signature", "invalid-signature", Signature.TIMESTAMP_HEADER,
                    Signature.TOLERANCE.toMinutes(), Signature.SIGNATURE_HEADER);
        }
        PaymentNotification request = mapper.readValue(body, PaymentNotification.class);
        Set<ConstraintViolation<PaymentNotification>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        Payments.Notification notification = new Payments.Notification(UUID.fromString(request.bookingId()), request.paymentId(),
                request.amount(), request.paidAt());
        return payments.record(notification).map(decision -> answer(decision, notification));
    }

    private static PaymentAccepted answer(Decision decision, Payments.Notification notification) {
        if (decision instanceof Decision.Confirmed confirmed) {
            return new PaymentAccepted(confirmed.bookingId(), confirmed.paymentId(), "CONFIRMED");
        }
        if (decision instanceof Decision.Refused refused) {
            throw Problem.of(409, refused.code(), refused.code())
                    .with("bookingId", refused.bookingId()).with("paymentId", refused.paymentId()).with("refundDue", true);
        }
        if (decision instanceof Decision.AmountMismatch mismatch) {
            throw Problem.of(422, "amount-mismatch", "amount-mismatch", mismatch.expected(), notification.amount())
                    .with("expected", mismatch.expected());
        }
        if (decision instanceof Decision.PaymentIdReused) {
            throw Problem.of(422, "payment-id-reused", "payment-id-reused");
        }
        throw BookingService.notFound();
    }
}
