package io.firstvisit.common;

import io.firstvisit.problem.Language;
import io.firstvisit.problem.ProblemMapper;
import io.firstvisit.problem.ProblemTexts;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Completes the OpenAPI document (issue 13 §1), so that each operation's annotations only state what is
 * particular to it:
 * <ul>
 *   <li>every 4xx/5xx answer is {@code application/problem+json} with the {@code Problem} schema, and one
 *       example per problem type named in its description (written in backticks: {@code `sold-out`}; a
 *       backticked word without a hyphen that is no type, such as {@code `releaseAt`}, names a member). A
 *       hyphenated name that is not in {@link #TYPES}, a type under the wrong status, or an answer naming
 *       no type fails the build;</li>
 *   <li>the answers every operation can give are added from what the operation is: 400 where it reads a
 *       body, a query or a header; 401 and 403 where it needs a token; 415 where it reads a body; 406 and 503
 *       everywhere (every route reads PostgreSQL or Redis). The HTTP layer's 405, 413, 414 and 431 come before
 *       any operation and are described in README, "The API contract";</li>
 *   <li>{@code Retry-After} on 429, 503 and any answer naming {@code queue-not-open}; {@code Location} on 201;</li>
 *   <li>the {@code Idempotency-Key} and {@code Admission-Ticket} headers' formats.</li>
 * </ul>
 * The 429 stays an annotation: only the routes that take from the account's rate give it.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ApiDocument implements OASFilter {

    public static final String PROBLEM_SCHEMA = "Problem";
    static final String SECURITY_SCHEME = "bearerJwt";
    private static final String SCHEMAS = "#/components/schemas/";
    private static final String RESPONSES = "#/components/responses/";
    private static final String HEADERS = "#/components/headers/";
    private static final Pattern CODE = Pattern.compile("`([a-z][a-z0-9-]*)`");
    /** Problem types whose answer tells the client when to come back. */
    private static final Set<String> WITH_RETRY_AFTER = Set.of("rate-limited", "unavailable", "queue-not-open");

    /** An example of one problem type: what a client receives (titles follow the request's language). */
    record Type(int status, String title, String detail, Map<String, Object> members) {
    }

    private static final Map<String, String> TAGS = Map.of(
            "catalog", "Hospitals and departments (public)",
            "availability", "Slots and their remaining places (public, cacheable)",
            "patients", "A family's patient profiles (group patient)",
            "bookings", "Booking, rescheduling, cancelling, accepting a waitlist offer (group patient)",
            "waitlist", "Waiting for a place on a sold-out day (group patient)",
            "waiting room", "Tickets of a QUEUE release (group patient)",
            "payments", "Notifications from the hospital's payment system (signed, no token)",
            "scheduler", "Hospital staff: doctors, slots, cancellations, visit outcomes (group scheduler)",
            "integration", "The hospital's systems: events feed and webhooks (groups scheduler, integration)");

    /** Every problem type the API answers with: the vocabulary of README's problem table, one example each. */
    static final Map<String, Type> TYPES = types();

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.setComponents(components);
        components.addSchema(PROBLEM_SCHEMA, problemSchema());
        components.addSchema("FieldError", OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("One offending field of a request")
                .addProperty("field", string("The field (a dotted path into the body), query parameter or header"))
                .addProperty("message", string("What is wrong with it"))
                .addRequired("field").addRequired("message"));
        components.removeSchema("ProblemBody");
        components.addHeader("Retry-After", OASFactory.createHeader()
                .description("Seconds to wait before trying again")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).minimum(BigDecimal.ONE)));
        components.addHeader("Location", OASFactory.createHeader()
                .description("The created resource, as a path relative to this server")
                .schema(string(null)));
        components.addResponse("InvalidRequest", problemResponse("400",
                "`invalid-request`: malformed JSON, a wrong type or format, an unknown, duplicated or missing field, "
                        + "an invalid query parameter or header; `errors` lists each field"));
        components.addResponse("Unauthorized", problemResponse("401",
                "`unauthorized`: no bearer token, or one that is not valid (signature, issuer, audience, expiry, lifetime)")
                .addHeader("WWW-Authenticate", OASFactory.createHeader().description("Bearer")
                        .schema(string(null))));
        components.addResponse("Forbidden", problemResponse("403",
                "`forbidden`: the token's groups do not include one this operation requires"));
        components.addResponse("NotAcceptable", problemResponse("406",
                "`not-acceptable`: the Accept header admits neither application/json nor application/problem+json"));
        components.addResponse("UnsupportedMediaType", problemResponse("415",
                "`unsupported-media-type`: the body is not sent as application/json"));
        components.addResponse("Unavailable", problemResponse("503",
                "`unavailable`: PostgreSQL or Redis is slow or down, or this instance is at capacity. Nothing was "
                        + "promised: a booking attempt may still have committed, so retry with the same Idempotency-Key"));
        describeSecurity(components);
        if (openAPI.getTags() != null) {
            openAPI.getTags().forEach(tag -> tag.setDescription(TAGS.get(tag.getName())));
        }

        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(this::complete));
        }
    }

    private void complete(Operation operation) {
        APIResponses responses = operation.getResponses();
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        if (!secured) {
            operation.setSecurity(new ArrayList<>()); // public: says so, rather than inheriting a default
        }
        boolean readsInput = operation.getRequestBody() != null || (operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(p -> p.getIn() != Parameter.In.PATH));
        standard(responses, "400", readsInput, "InvalidRequest");
        standard(responses, "401", secured, "Unauthorized");
        standard(responses, "403", secured, "Forbidden");
        standard(responses, "406", true, "NotAcceptable");
        standard(responses, "415", operation.getRequestBody() != null, "UnsupportedMediaType");
        standard(responses, "503", true, "Unavailable");
        responses.getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                problems(status, response);
            } else if ("201".equals(status) && response.getRef() == null) {
                response.addHeader("Location", OASFactory.createHeader().ref(HEADERS + "Location"));
            }
        });
        sortResponses(operation);
        if (operation.getParameters() != null) {
            operation.getParameters().forEach(ApiDocument::describeHeader);
        }
    }

    /**
     * Adds the shared answer, or replaces the bare one Quarkus adds for security and validation (a description that
     * names no problem type); an answer an annotation describes stays, and {@link #problems} completes it.
     */
    private static void standard(APIResponses responses, String status, boolean applies, String name) {
        if (!applies) {
            return;
        }
        APIResponse existing = responses.getAPIResponse(status);
        if (existing == null || existing.getDescription() == null || !existing.getDescription().contains("`")) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().ref(RESPONSES + name));
        }
    }

    /**
     * The 403 of an operation that also answers {@code queue-required} names both; that is why a 403 given by
     * annotation keeps its own description and gets {@code forbidden} added.
     */
    private static void problems(String status, APIResponse response) {
        if (response.getRef() != null) {
            return;
        }
        String description = response.getDescription() == null ? "" : response.getDescription();
        if ("403".equals(status) && !description.contains("`forbidden`")) {
            description = "`forbidden`: the token's groups do not include one this operation requires. " + description;
            response.setDescription(description);
        }
        MediaType media = problemMedia(status, description);
        response.setContent(OASFactory.createContent().addMediaType(ProblemMapper.PROBLEM_JSON, media));
        if (codes(status, description).stream().anyMatch(WITH_RETRY_AFTER::contains)) {
            response.addHeader("Retry-After", OASFactory.createHeader().ref(HEADERS + "Retry-After"));
        }
    }

    private static APIResponse problemResponse(String status, String description) {
        APIResponse response = OASFactory.createAPIResponse().description(description);
        response.setContent(OASFactory.createContent().addMediaType(ProblemMapper.PROBLEM_JSON, problemMedia(status, description)));
        if (codes(status, description).stream().anyMatch(WITH_RETRY_AFTER::contains)) {
            response.addHeader("Retry-After", OASFactory.createHeader().ref(HEADERS + "Retry-After"));
        }
        return response;
    }

    private static MediaType problemMedia(String status, String description) {
        MediaType media = OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMAS + PROBLEM_SCHEMA));
        List<String> codes = codes(status, description);
        for (String code : codes) {
            media.addExample(code, example(code));
        }
        media.addExtension("x-problem-types", codes.stream().map(c -> io.firstvisit.problem.Problem.TYPE_BASE + c).toList());
        return media;
    }

    /** The problem types a response's description names; each must exist and have this status. */
    static List<String> codes(String status, String description) {
        Set<String> codes = new LinkedHashSet<>();
        Matcher matcher = CODE.matcher(description == null ? "" : description);
        while (matcher.find()) {
            String code = matcher.group(1);
            Type type = TYPES.get(code);
            if (type == null && code.contains("-")) {
                throw new IllegalStateException("OpenAPI: response " + status + " names `" + code + "`, which is no problem type "
                        + "(ApiDocument.TYPES): \"" + description + "\"");
            }
            if (type == null) {
                continue; // a member of the problem, such as `releaseAt`
            }
            if (!Integer.toString(type.status()).equals(status)) {
                throw new IllegalStateException("OpenAPI: `" + code + "` is a " + type.status() + ", not a " + status);
            }
            codes.add(code);
        }
        if (codes.isEmpty()) {
            throw new IllegalStateException("OpenAPI: response " + status + " names no problem type in backticks: \"" + description + "\"");
        }
        return List.copyOf(codes);
    }

    private static Example example(String code) {
        Type type = TYPES.get(code);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("type", io.firstvisit.problem.Problem.TYPE_BASE + code);
        value.put("title", ProblemTexts.title(Language.EN, code)); // with Accept-Language: en; zh-CN by default
        value.put("status", type.status());
        value.put("detail", type.detail());
        value.put("instance", "/api/v1/...");
        value.putAll(type.members());
        return OASFactory.createExample().summary(ProblemTexts.title(Language.EN, code)).value(value);
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem. Clients switch on the last path segment of `type` (the problem type's code), "
                        + "never on `title` or `detail`, which follow the request's language. Some types add members of their "
                        + "own (listed with each answer's examples): `additionalProperties` is open for them.")
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("uri")
                        .description("https://firstvisit.dev/problems/<code>")
                        .examples(List.of(io.firstvisit.problem.Problem.TYPE_BASE + "sold-out")))
                .addProperty("title", string("A short summary of the problem type, for people"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32")
                        .description("The HTTP status"))
                .addProperty("detail", string("What went wrong with this request, for people"))
                .addProperty("instance", string("The request's path"))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .description("`invalid-request` only: each offending field")
                        .items(OASFactory.createSchema().ref(SCHEMAS + "FieldError")))
                .addRequired("type").addRequired("title").addRequired("status")
                .additionalPropertiesBoolean(Boolean.TRUE);
    }

    private static void describeSecurity(Components components) {
        SecurityScheme scheme = components.getSecuritySchemes() == null ? null : components.getSecuritySchemes().get(SECURITY_SCHEME);
        if (scheme != null) {
            scheme.setDescription("A JWT (RS256) from the hospital's identity provider, sent as `Authorization: Bearer <token>`. "
                    + "Claims: `sub` (the account), `groups` (`patient` for families, `scheduler` for hospital staff, "
                    + "`integration` for the hospital's systems), `iat`, `exp` and, in production, `aud`. Each operation lists "
                    + "the groups it accepts. README, \"The API contract\", has the rules.");
        }
    }

    private static void describeHeader(Parameter parameter) {
        if (parameter.getIn() != Parameter.In.HEADER) {
            return;
        }
        if ("Idempotency-Key".equals(parameter.getName())) {
            parameter.setSchema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).minLength(1).maxLength(200)
                    .pattern("^[!-~]{1,200}$"));
            parameter.setExample("3f1c2a9e-7b4d-4e5f-8a6b-1c2d3e4f5a6b");
        } else if ("Admission-Ticket".equals(parameter.getName())) {
            // opaque to clients: the id of the ticket as the waiting room handed it out
            parameter.setSchema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).maxLength(120));
            parameter.setExample("BCH.DERMATOLOGY.20260701.6a0e8f3c-2d1b-4c5a-9e8f-7a6b5c4d3e2f");
        }
    }

    /** Responses in status order, so a reader (and a diff) finds them where expected. */
    private static void sortResponses(Operation operation) {
        Map<String, APIResponse> sorted = new java.util.TreeMap<>(operation.getResponses().getAPIResponses());
        APIResponses responses = OASFactory.createAPIResponses();
        sorted.forEach(responses::addAPIResponse);
        if (operation.getResponses().getDefaultValue() != null) {
            responses.setDefaultValue(operation.getResponses().getDefaultValue());
        }
        operation.setResponses(responses);
    }

    private static Schema string(String description) {
        Schema schema = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        return description == null ? schema : schema.description(description);
    }

    private static Map<String, Type> types() {
        Map<String, Type> types = new LinkedHashMap<>();
        types.put("invalid-request", new Type(400, "The request is not valid", "Invalid fields: slotId",
                Map.of("errors", List.of(Map.of("field", "slotId", "message", "must be a slot id")))));
        types.put("unauthorized", new Type(401, "Authentication required", "A valid bearer token is required", Map.of()));
        types.put("invalid-signature", new Type(401, "Invalid signature",
                "The notification must carry X-FirstVisit-Timestamp (epoch seconds, within 5 minutes of now) and X-FirstVisit-Signature",
                Map.of()));
        types.put("not-acceptable", new Type(406, "Not Acceptable", "Not Acceptable", Map.of()));
        types.put("unsupported-media-type", new Type(415, "Unsupported Media Type", "Unsupported Media Type", Map.of()));
        types.put("forbidden", new Type(403, "Forbidden", "This account may not use this resource", Map.of()));
        types.put("queue-required", new Type(403, "Admission ticket required",
                "Book DERMATOLOGY on 2026-07-01 through the waiting room: no Admission-Ticket header. Take a ticket with POST "
                        + "/api/v1/queue/tickets, and book while it is ADMITTED, sending its id in the Admission-Ticket header.",
                ordered("queue", "/api/v1/queue/tickets", "hospital", "BCH", "department", "DERMATOLOGY", "date", "2026-07-01")));
        for (String[] notFound : new String[][]{
                {"slot-not-found", "No such slot"}, {"patient-not-found", "No such patient on this account"},
                {"booking-not-found", "No such booking on this account"}, {"doctor-not-found", "No such doctor"},
                {"department-not-found", "No such department: BCH DERMATOLOGY"}, {"webhook-not-found", "No such webhook"},
                {"waitlist-entry-not-found", "No such waitlist entry on this account"},
                {"ticket-not-found", "No such ticket on this account"},
                {"release-not-found", "No slots of BCH DERMATOLOGY are published for 2026-07-01"}}) {
            types.put(notFound[0], new Type(404, "Not found", notFound[1], Map.of()));
        }
        conflict(types, "sold-out", "Sold out", "No places are left in this slot");
        types.put("not-open", new Type(409, "Not open yet", "Booking for this slot opens at 2026-06-30T20:00+08:00",
                Map.of("releaseAt", "2026-06-30T20:00:00+08:00")));
        conflict(types, "closed", "Slot closed", "This slot has already started");
        conflict(types, "already-booked", "Already booked",
                "This patient already has an active booking in BCH DERMATOLOGY on 2026-07-01");
        conflict(types, "account-limit", "Account limit reached",
                "This account already holds 3 active bookings in BCH DERMATOLOGY on 2026-07-01");
        conflict(types, "cancellation-closed", "Too late to cancel", "The slot has already started");
        conflict(types, "slot-conflict", "Slot conflict", "The doctor already has a slot starting at 2026-07-01T09:00+08:00");
        conflict(types, "slot-cancelled", "Slot cancelled", "The hospital cancelled this slot");
        conflict(types, "change-closed", "Too late to reschedule", "A booking can be moved until 2 hours before its slot");
        conflict(types, "not-active", "Booking cannot be moved", "This booking was moved or cancelled meanwhile");
        types.put("places-available", new Type(409, "Places available", "BCH DERMATOLOGY still has places on 2026-07-01: book instead",
                Map.of("slotId", "0b6c5f8e-3f5e-4c59-9a53-3c1c2d7e9a10")));
        types.put("offer-pending", new Type(409, "A place is offered",
                "A place is offered to this entry: accept or cancel its booking",
                Map.of("bookingId", "0b6c5f8e-3f5e-4c59-9a53-3c1c2d7e9a10")));
        conflict(types, "offer-expired", "Offer expired", "This offer was not accepted in time; the place passed on");
        conflict(types, "payment-required", "Accept by paying", "This offer is on a paid slot: it is accepted by paying for it");
        types.put("invalid-transition", new Type(409, "Invalid status change",
                "Booking is PENDING_PAYMENT (not paid yet); it cannot become CHECKED_IN (only a CONFIRMED booking can)",
                ordered("currentStatus", "PENDING_PAYMENT", "requestedStatus", "CHECKED_IN")));
        types.put("hold-expired", new Type(409, "Hold expired",
                "The booking's payment hold ended (or it was cancelled) before this payment; refund it",
                ordered("bookingId", "0b6c5f8e-3f5e-4c59-9a53-3c1c2d7e9a10", "paymentId", "pay-20260701-0001", "refundDue", true)));
        types.put("already-paid", new Type(409, "Already paid", "The booking was already paid by another payment; refund this one",
                ordered("bookingId", "0b6c5f8e-3f5e-4c59-9a53-3c1c2d7e9a10", "paymentId", "pay-20260701-0002", "refundDue", true)));
        conflict(types, "queue-not-used", "No waiting room for this release", "BCH DERMATOLOGY on 2026-07-01 is released first come");
        types.put("queue-not-open", new Type(409, "Waiting room not open yet", "Tickets can be taken from 2026-06-30T19:30+08:00",
                Map.of("queueOpensAt", "2026-06-30T19:30:00+08:00")));
        conflict(types, "queue-closed", "Waiting room closed", "Every slot of the day has started or was cancelled");
        conflict(types, "admission-conflict", "Admission differs from the day's",
                "The department's slots on 2026-07-01 cannot be published with this admission: the day is released FIRST_COME");
        types.put("not-eligible", new Type(422, "Patient not eligible",
                "A follow-up slot needs a completed visit in BCH DERMATOLOGY on or after 2026-01-02 (180 days before the slot's date)",
                Map.of("reason", "no-prior-visit")));
        unprocessable(types, "not-qualified", "Doctor not qualified for first visits", "This doctor does not take first visits");
        unprocessable(types, "idempotency-key-reused", "Idempotency-Key reused",
                "This Idempotency-Key was used with a different request");
        unprocessable(types, "too-many-patients", "Too many patient profiles", "An account can have at most 10 patient profiles");
        types.put("invalid-target", new Type(422, "Slot not possible for this booking",
                "Cannot move there: the slot belongs to another department", Map.of("reason", "other-department")));
        types.put("amount-mismatch", new Type(422, "Amount mismatch", "The booking's fee is 5000 fen, the payment 500 fen",
                Map.of("expected", 5000)));
        unprocessable(types, "payment-id-reused", "paymentId reused", "This paymentId was already used for another booking");
        types.put("rate-limited", new Type(429, "Too many requests", "Too many booking attempts from this account; retry after 1 s",
                Map.of()));
        types.put("unavailable", new Type(503, "Service temporarily unavailable",
                "A backing service is slow or down; try again shortly", Map.of()));
        return Map.copyOf(types);
    }

    private static void conflict(Map<String, Type> types, String code, String title, String detail) {
        types.put(code, new Type(409, title, detail, Map.of()));
    }

    private static void unprocessable(Map<String, Type> types, String code, String title, String detail) {
        types.put(code, new Type(422, title, detail, Map.of()));
    }

    private static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> members = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            members.put((String) pairs[i], pairs[i + 1]);
        }
        return members;
    }
}
