package io.firstvisit.devconsole.rest;

import io.firstvisit.booking.BookingService;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.common.Ids;
import io.firstvisit.common.JsonCodec;
import io.firstvisit.common.Signature;
import io.firstvisit.common.Text;
import io.firstvisit.devconsole.DevConsoleConfig;
import io.firstvisit.devconsole.DevTokens;
import io.firstvisit.payment.PaymentConfig;
import io.firstvisit.payment.rest.PaymentNotificationResource;
import io.firstvisit.payment.rest.PaymentNotificationResource.PaymentAccepted;
import io.firstvisit.payment.rest.PaymentNotificationResource.PaymentNotification;
import io.firstvisit.security.CurrentAccount;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What the booking page needs in development and the hosting app or the payment system provides in production:
 * a token for the account the page keeps, and a payment of a held booking. Off unless
 * {@code firstvisit.dev-console.enabled} (the dev profile only): {@link DevConsoleGate} then answers every
 * {@code /dev} path as an unknown one (404) before authentication or validation. None is in the OpenAPI document.
 */
@Path("/dev")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DevConsoleResource {

    private final DevConsoleConfig config;
    private final DevTokens tokens;
    private final BookingService bookings;
    private final CurrentAccount account;
    private final PaymentNotificationResource payments;
    private final Signature signature;
    private final JsonCodec json;
    private final HospitalTime time;

    public DevConsoleResource(DevConsoleConfig config, DevTokens tokens, BookingService bookings, CurrentAccount account,
                              PaymentNotificationResource payments, PaymentConfig payment, JsonCodec json, HospitalTime time) {
        this.config = config;
        this.tokens = tokens;
        this.bookings = bookings;
        this.account = account;
        this.payments = payments;
        this.signature = new Signature(payment.secret());
        this.json = json;
        this.time = time;
    }

    public record TokenRequest(@NotNull @Size(min = 1, max = 200) @Pattern(regexp = Text.PRINTABLE, message = Text.PRINTABLE_MESSAGE)
                               String account,
                               List<@NotNull @Pattern(regexp = "patient|scheduler|integration",
                                       message = "must be patient, scheduler or integration") String> groups) {
    }

    public record TokenJson(String token, String account, OffsetDateTime expiresAt) {
    }

    public record PayRequest(@NotNull @Pattern(regexp = Ids.UUID_PATTERN, message = "must be a booking id") String bookingId) {
    }

    @POST
    @Path("tokens")
    @PermitAll
    @Operation(hidden = true)
    public TokenJson token(@Valid @NotNull TokenRequest request) {
        requireEnabled();
        List<String> groups = request.groups() == null || request.groups().isEmpty() ? List.of("patient") : request.groups();
        DevTokens.Minted minted = tokens.mint(request.account(), groups);
        return new TokenJson(minted.token(), request.account(), HospitalTime.local(minted.expiresAt()));
    }

    /**
     * Pays the caller's booking its fee as bin/dev-pay does: a notification signed with the payment secret, verified
     * by the payment system's own route. The secret stays on the server.
     */
    @POST
    @Path("payments")
    @RolesAllowed("patient")
    @Operation(hidden = true)
    public Uni<PaymentAccepted> pay(@Valid @NotNull PayRequest request) {
        requireEnabled();
        return bookings.find(account.id(), Ids.parse(request.bookingId()).orElseThrow(BookingService::notFound))
                .chain(booking -> notify(new PaymentNotification(booking.id().toString(),
                        "dev-" + java.util.UUID.randomUUID(), booking.fee(), HospitalTime.local(time.now()))));
    }

    private Uni<PaymentAccepted> notify(PaymentNotification notification) {
        byte[] body = json.write(notification).getBytes(StandardCharsets.UTF_8);
        long timestamp = time.now().getEpochSecond();
        try {
            return payments.notify(body, Long.toString(timestamp), signature.sign(timestamp, body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Also here, whatever path spelling reached the method past {@link DevConsoleGate}. */
    private void requireEnabled() {
        if (!config.enabled()) {
            throw new NotFoundException();
        }
    }
}
