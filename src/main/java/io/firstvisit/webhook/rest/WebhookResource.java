package io.firstvisit.webhook.rest;

import io.firstvisit.common.Locations;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.common.Ids;
import io.firstvisit.problem.Problem;
import io.firstvisit.security.CurrentAccount;
import io.firstvisit.webhook.EventTypes;
import io.firstvisit.webhook.WebhookQueries;
import io.firstvisit.webhook.WebhookQueries.Delivery;
import io.firstvisit.webhook.WebhookQueries.Registered;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** The hospital's systems register where booking events are pushed to, and follow the deliveries. */
@Path("/api/v1/admin/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"scheduler", "integration"})
@Tag(name = "integration")
public class WebhookResource {

    static final int MAX_LIMIT = 1000;
    private static final List<String> STATES = List.of("PENDING", "DELIVERED", "FAILED");

    private final WebhookQueries webhooks;
    private final CurrentAccount account;
    private final HospitalTime time;

    public WebhookResource(WebhookQueries webhooks, CurrentAccount account, HospitalTime time) {
        this.webhooks = webhooks;
        this.account = account;
        this.time = time;
    }

    /** {@code secret}: 32 to 256 printable ASCII characters; deliveries are signed with it and it is never shown again. */
    public record NewWebhook(@NotNull @Size(max = 2000) String url,
                             @NotNull @Size(min = 1, max = 20) List<@NotNull String> events,
                             @NotNull @Pattern(regexp = "^[\\x21-\\x7e]{32,256}$", message = "must be 32 to 256 printable ASCII characters")
                             String secret) {
    }

    public record WebhookJson(UUID id, String url, List<String> events, java.time.OffsetDateTime createdAt) {
        static WebhookJson of(Registered r) {
            return new WebhookJson(r.id(), r.url(), r.events(), HospitalTime.local(r.createdAt().toInstant()));
        }
    }

    public record DeliveryJson(long id, String state, int attempts, UUID eventId, String type, UUID bookingId, Integer lastStatus,
                               String lastError, java.time.OffsetDateTime nextAttemptAt, java.time.OffsetDateTime deliveredAt) {
        static DeliveryJson of(Delivery d) {
            return new DeliveryJson(d.id(), d.state(), d.attempts(), d.eventId(), d.type(), d.bookingId(), d.lastStatus(), d.lastError(),
                    "PENDING".equals(d.state()) ? HospitalTime.local(d.nextAttemptAt().toInstant()) : null,
                    d.deliveredAt() == null ? null : HospitalTime.local(d.deliveredAt().toInstant()));
        }
    }

    @POST
    @Operation(operationId = "registerWebhook", summary = "Register a URL for booking events; every later event of those types is delivered to it, signed")
    @APIResponse(responseCode = "201", description = "The webhook (its secret is not shown again)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookJson.class)))
    public Uni<Response> register(@Valid @NotNull NewWebhook request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        checkUrl(request.url(), errors);
        for (int i = 0; i < request.events().size(); i++) {
            if (!EventTypes.ALL.contains(request.events().get(i))) {
                errors.add(new Problem.FieldError("events[" + i + "]", "must be one of " + EventTypes.ALL));
            }
        }
        if (!errors.isEmpty()) {
            throw Problem.invalidRequest("invalid-webhook", errors);
        }
        List<String> events = request.events().stream().distinct().toList();
        return webhooks.register(UUID.randomUUID(), request.url(), events, request.secret(), account.id())
                .map(registered -> Locations.created("/api/v1/admin/webhooks/" + registered.id())
                        .entity(WebhookJson.of(registered)).build());
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "The registered webhooks (secrets are never shown)")
    public Uni<List<WebhookJson>> list() {
        return webhooks.list().map(all -> all.stream().map(WebhookJson::of).toList());
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "removeWebhook", summary = "Stop delivering to a webhook; its pending deliveries are kept as FAILED")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "`webhook-not-found`")
    public Uni<Response> remove(@PathParam("id") String id) {
        UUID webhook = Ids.parse(id).orElseThrow(WebhookResource::notFound);
        return webhooks.remove(webhook, time.now()).map(found -> {
            if (!found) {
                throw notFound();
            }
            return Response.noContent().build();
        });
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(operationId = "listDeliveries", summary = "A webhook's deliveries, oldest first: state (PENDING, DELIVERED, FAILED), attempts, last answer")
    @APIResponse(responseCode = "200", description = "The deliveries, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeliveryJson.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "`webhook-not-found`")
    public Uni<List<DeliveryJson>> deliveries(@PathParam("id") String id, @QueryParam("state") String state,
                                              @QueryParam("after") @DefaultValue("0") String after,
                                              @QueryParam("limit") @DefaultValue("100") String limit) {
        UUID webhook = Ids.parse(id).orElseThrow(WebhookResource::notFound);
        String wanted = state == null ? null : state.toUpperCase(Locale.ROOT);
        List<Problem.FieldError> errors = new ArrayList<>();
        if (wanted != null && !STATES.contains(wanted)) {
            errors.add(new Problem.FieldError("state", "must be one of " + STATES));
        }
        long from = parse(after, 0, Long.MAX_VALUE, "after", errors);
        int size = (int) parse(limit, 1, MAX_LIMIT, "limit", errors);
        if (!errors.isEmpty()) {
            throw Problem.invalidRequest("invalid-query", errors);
        }
        return webhooks.exists(webhook).flatMap(found -> {
            if (found == null) {
                throw notFound();
            }
            return webhooks.deliveries(webhook, wanted, from, size).map(all -> all.stream().map(DeliveryJson::of).toList());
        });
    }

    private static void checkUrl(String url, List<Problem.FieldError> errors) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getUserInfo() != null
                    || uri.getFragment() != null) {
                errors.add(new Problem.FieldError("url", "must be an absolute http(s) URL without credentials or fragment"));
            }
        } catch (URISyntaxException e) {
            errors.add(new Problem.FieldError("url", "must be an absolute http(s) URL"));
        }
    }

    private static long parse(String text, long min, long max, String field, List<Problem.FieldError> errors) {
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        errors.add(new Problem.FieldError(field, "must be a whole number from " + min + " to " + max));
        return min;
    }

    static Problem notFound() {
        return Problem.notFound("webhook-not-found");
    }
}
