package io.firstvisit.booking.rest;

import io.firstvisit.booking.BookingJson;
import io.firstvisit.booking.BookingMetrics;
import io.firstvisit.booking.BookingService;
import io.firstvisit.booking.IdempotencyStore;
import io.firstvisit.booking.IdempotencyStore.StoredResponse;
import io.firstvisit.booking.Rescheduler;
import io.firstvisit.common.Ids;
import io.firstvisit.common.JsonCodec;
import io.firstvisit.problem.Problem;
import io.firstvisit.problem.ProblemBody;
import io.firstvisit.problem.ProblemMapper;
import io.firstvisit.problem.Language;
import io.firstvisit.problem.Problems;
import io.firstvisit.patient.PatientDirectory;
import io.firstvisit.security.AccountRateLimiter;
import io.firstvisit.security.CurrentAccount;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

@Path("/api/v1/bookings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("patient")
@Tag(name = "bookings")
public class BookingResource {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String ADMISSION_TICKET = "Admission-Ticket";
    static final int MAX_KEY_LENGTH = 200;
    private static final String PATH = "/api/v1/bookings";
    private static final String QUEUE_REQUIRED = "`queue-required`: the slot's release admits through its waiting room, and the "
            + "Admission-Ticket header does not name an ADMITTED ticket of this account for its department and date";
    private static final String RATE_LIMITED = "`rate-limited`: this account's booking attempts exceed its rate (replays of a known "
            + "key are free)";

    private final BookingService bookings;
    private final Rescheduler rescheduler;
    private final IdempotencyStore idempotency;
    private final BookingMetrics metrics;
    private final CurrentAccount account;
    private final JsonCodec json;
    private final AccountRateLimiter limiter;
    private final Problems problems;

    public BookingResource(BookingService bookings, Rescheduler rescheduler, IdempotencyStore idempotency, BookingMetrics metrics,
                           CurrentAccount account, JsonCodec json, AccountRateLimiter limiter, Problems problems) {
        this.problems = problems;
        this.rescheduler = rescheduler;
        this.limiter = limiter;
        this.bookings = bookings;
        this.idempotency = idempotency;
        this.metrics = metrics;
        this.account = account;
        this.json = json;
    }

    @POST
    @Operation(operationId = "book", summary = "Book a place for one of the caller's patients",
            description = "Send an Idempotency-Key header to make retries safe: the same key and body make at most one booking, "
                    + "and replay its 201. A refusal keeps nothing: a retry with the same key is evaluated again. "
                    + "A FOLLOW_UP slot is for a patient with a COMPLETED visit in the same hospital and department within the "
                    + "follow-up window before the slot's date (else 422 not-eligible, reason no-prior-visit); a FIRST slot refuses "
                    + "such a patient (reason already-seen). followUpOf (optional, FOLLOW_UP slots) names that visit's booking and "
                    + "is recorded; a booking that is not one gives 422 not-eligible with a follow-up-of-* reason.")
    @APIResponse(responseCode = "201", description = "Booked (the row is committed); a replay of the key answers the same",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BookingJson.class)))
    @APIResponse(responseCode = "403", description = QUEUE_REQUIRED)
    @APIResponse(responseCode = "404", description = "`slot-not-found`, `patient-not-found` (also another account's patient)")
    @APIResponse(responseCode = "409", description = "`sold-out`, `not-open` (carries `releaseAt`), `closed`, `already-booked`, "
            + "`account-limit`, `slot-cancelled`")
    @APIResponse(responseCode = "422", description = "`not-eligible` (`reason`: age, no-prior-visit, already-seen, follow-up-of-unknown, "
            + "follow-up-of-not-completed, follow-up-of-other-department, follow-up-of-outside-window, follow-up-of-on-first-slot), "
            + "`idempotency-key-reused` (the key was used with another body)")
    @APIResponse(responseCode = "429", description = RATE_LIMITED)
    public Uni<Response> book(@Valid @NotNull BookingRequest request, @Context HttpHeaders headers,
                              @Parameter(name = IDEMPOTENCY_KEY, description = "Client-chosen key, at most 200 printable ASCII characters")
                              @jakarta.ws.rs.HeaderParam(IDEMPOTENCY_KEY) String ignored,
                              @Parameter(name = ADMISSION_TICKET, description = "On a QUEUE release: the id of the account's ADMITTED ticket")
                              @jakarta.ws.rs.HeaderParam(ADMISSION_TICKET) String ticket) {
        String key = idempotencyKey(headers);
        String owner = account.id();
        Language language = problems.language(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        UUID slotId = UUID.fromString(request.slotId());
        UUID patientId = UUID.fromString(request.patientId());
        UUID followUpOf = request.followUpOf() == null ? null : UUID.fromString(request.followUpOf());
        Uni<StoredResponse> answer = key == null
                ? attempt(owner, slotId, patientId, followUpOf, null, ticket, language)
                : idempotency.once(owner, key, fingerprint(slotId, patientId, followUpOf),
                        () -> attempt(owner, slotId, patientId, followUpOf, key, ticket, language));
        // Failures are counted here, whichever step they came from (the key's claim, the attempt, a
        // repeat's wait): every 503 and 429 the client sees is in the metric.
        return answer.onFailure().invoke(f -> metrics.record(f instanceof Problem problem ? problem.code() : "unavailable"))
                .map(stored -> toResponse(stored, language));
    }

    @GET
    @Operation(operationId = "listBookings", summary = "The caller's bookings, optionally for one patient")
    @APIResponse(responseCode = "200", description = "The bookings, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BookingJson.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "`patient-not-found` (patientId is not a patient of this account)")
    public Uni<List<BookingJson>> list(@QueryParam("patientId") String patientId) {
        UUID patient = null;
        if (patientId != null) {
            patient = Ids.parse(patientId).orElseThrow(PatientDirectory::notFound);
        }
        return bookings.list(account.id(), patient);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getBooking", summary = "One of the caller's bookings")
    @APIResponse(responseCode = "200", description = "The booking",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BookingJson.class)))
    @APIResponse(responseCode = "404", description = "`booking-not-found` (also another account's)")
    public Uni<BookingJson> get(@PathParam("id") String id) {
        return bookings.find(account.id(), Ids.parse(id).orElseThrow(BookingService::notFound));
    }

    @POST
    @Path("{id}/reschedule")
    @Operation(operationId = "reschedule", summary = "Move a booking to another slot of the same hospital and department (same fee); atomic",
            description = "200 with the new booking, which keeps the status, hold and payment; the old one becomes RESCHEDULED "
                    + "(rescheduledTo). Refused (409 sold-out, not-open, closed, already-booked, change-closed, not-active; "
                    + "422 invalid-target; 403 queue-required into a QUEUE release of another day without its admitted ticket), "
                    + "the old booking is untouched. Idempotency-Key as for booking.")
    @APIResponse(responseCode = "200", description = "The new booking (a replay of the key answers the same)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BookingJson.class)))
    @APIResponse(responseCode = "403", description = QUEUE_REQUIRED)
    @APIResponse(responseCode = "404", description = "`booking-not-found` (also another account's), `slot-not-found`")
    @APIResponse(responseCode = "409", description = "`sold-out`, `not-open` (carries `releaseAt`), `closed`, `already-booked`, "
            + "`account-limit`, `slot-cancelled`, `change-closed` (within the change cutoff), `not-active` (no longer holds a place)")
    @APIResponse(responseCode = "422", description = "`invalid-target` (`reason`: another department, visit type or fee), "
            + "`idempotency-key-reused`")
    @APIResponse(responseCode = "429", description = RATE_LIMITED)
    public Uni<Response> reschedule(@PathParam("id") String id, @Valid @NotNull RescheduleRequest request, @Context HttpHeaders headers,
                                    @Parameter(name = IDEMPOTENCY_KEY, description = "Client-chosen key, at most 200 printable ASCII characters")
                                    @jakarta.ws.rs.HeaderParam(IDEMPOTENCY_KEY) String ignored,
                                    @Parameter(name = ADMISSION_TICKET, description = "Into a QUEUE release of another day: the id of the "
                                            + "account's ADMITTED ticket for it")
                                    @jakarta.ws.rs.HeaderParam(ADMISSION_TICKET) String ticket) {
        UUID bookingId = Ids.parse(id).orElseThrow(BookingService::notFound);
        String key = idempotencyKey(headers);
        String owner = account.id();
        Language language = problems.language(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        UUID slotId = UUID.fromString(request.slotId());
        Supplier<Uni<StoredResponse>> move = () -> Uni.createFrom().voidItem().invoke(() -> limiter.acquire(owner))
                .chain(() -> rescheduler.reschedule(owner, bookingId, slotId, key, ticket))
                .map(moved -> new StoredResponse(200, PATH + "/" + moved.id(), MediaType.APPLICATION_JSON, json.write(moved)))
                .onFailure(p -> p instanceof Problem problem && problem.status() < 500 && problem.status() != 429)
                .recoverWithItem(p -> stored((Problem) p, PATH + "/" + bookingId + "/reschedule", language));
        Uni<StoredResponse> answer = key == null ? move.get()
                : idempotency.once(owner, key, "reschedule|" + bookingId + "|" + slotId, move);
        return answer.map(stored -> toResponse(stored, language));
    }

    @POST
    @Path("{id}/accept")
    @Consumes(MediaType.WILDCARD) // no body: an app need not send a Content-Type
    @Operation(operationId = "acceptOffer", summary = "Accept a waitlist offer on a free slot (OFFERED → CONFIRMED) before its offerExpiresAt",
            description = "Accepting again answers the booking. An offer on a paid slot is accepted by paying it (409 "
                    + "payment-required); one past its deadline is 409 offer-expired (the place passes to the next entry). "
                    + "To decline an offer, cancel the booking.")
    @APIResponse(responseCode = "200", description = "CONFIRMED", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BookingJson.class)))
    @APIResponse(responseCode = "404", description = "`booking-not-found` (also another account's)")
    @APIResponse(responseCode = "409", description = "`offer-expired`, `payment-required`, `invalid-transition` (not an offer)")
    public Uni<BookingJson> accept(@PathParam("id") String id) {
        return bookings.accept(account.id(), Ids.parse(id).orElseThrow(BookingService::notFound));
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "cancelBooking", summary = "Cancel a booking until its slot starts; the place returns to the inventory at once",
            description = "Cancelling again answers the booking as it is. Cancelling a waitlist offer (OFFERED, or PENDING_PAYMENT "
                    + "from an offer) declines it: the place goes to the next waiting entry. A paid booking answers refundDue: true.")
    @APIResponse(responseCode = "200", description = "The booking, CANCELLED (or as it already was)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BookingJson.class)))
    @APIResponse(responseCode = "404", description = "`booking-not-found` (also another account's)")
    @APIResponse(responseCode = "409", description = "`cancellation-closed` (the slot has started), `invalid-transition` (a recorded visit)")
    public Uni<BookingJson> cancel(@PathParam("id") String id) {
        return bookings.cancel(account.id(), Ids.parse(id).orElseThrow(BookingService::notFound));
    }

    /**
     * One real booking attempt. Its answers (201 and 4xx) become a response the idempotency store can keep
     * (it keeps the 201s); answers that invite a retry (429, 503) stay failures. A replayed answer is not
     * an attempt and is not counted again.
     */
    private Uni<StoredResponse> attempt(String owner, UUID slotId, UUID patientId, UUID followUpOf, String key, String ticket,
                                        Language language) {
        // Only real attempts count against the account's rate: a replay of a known Idempotency-Key does not.
        return Uni.createFrom().voidItem().invoke(() -> limiter.acquire(owner))
                .chain(() -> bookings.book(owner, slotId, patientId, followUpOf, key, ticket))
                .map(booking -> {
                    metrics.record("confirmed");
                    return new StoredResponse(201, PATH + "/" + booking.id(), MediaType.APPLICATION_JSON, json.write(booking));
                })
                .onFailure(p -> p instanceof Problem problem && problem.status() < 500 && problem.status() != 429)
                .recoverWithItem(p -> {
                    metrics.record(((Problem) p).code());
                    return stored((Problem) p, PATH, language);
                });
    }

    /** Without followUpOf the fingerprint is what it was before it existed, so keys kept across the upgrade still replay. */
    private static String fingerprint(UUID slotId, UUID patientId, UUID followUpOf) {
        return slotId + "|" + patientId + (followUpOf == null ? "" : "|" + followUpOf);
    }

    /** A refusal as the client sees it, so that keyed and unkeyed answers are the same bytes. */
    private StoredResponse stored(Problem problem, String instance, Language language) {
        return new StoredResponse(problem.status(), null, ProblemMapper.PROBLEM_JSON, json.write(problems.body(problem, instance, language)));
    }

    private static Response toResponse(StoredResponse stored, Language language) {
        Response.ResponseBuilder response = Response.status(stored.status()).type(stored.contentType()).entity(stored.body());
        if (stored.location() != null) {
            response.header(HttpHeaders.LOCATION, stored.location()); // relative: see Locations
        }
        if (ProblemMapper.PROBLEM_JSON.equals(stored.contentType())) {
            response.header(HttpHeaders.CONTENT_LANGUAGE, language.tag()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE);
        }
        return response.build();
    }

    private static String idempotencyKey(HttpHeaders headers) {
        List<String> values = headers.getRequestHeader(IDEMPOTENCY_KEY);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw keyProblem("must be sent once");
        }
        String key = values.get(0);
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw keyProblem("must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        if (!key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw keyProblem("must be printable ASCII without spaces");
        }
        return key;
    }

    private static Problem keyProblem(String message) {
        return Problem.invalidRequest("invalid-idempotency-key",
                List.of(new Problem.FieldError(IDEMPOTENCY_KEY, message)));
    }

}
