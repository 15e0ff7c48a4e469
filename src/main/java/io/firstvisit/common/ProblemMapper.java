package io.firstvisit.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The single place where failures become HTTP answers. Every answer is {@code application/problem+json};
 * bad input is a 4xx that names the problem, an unavailable dependency is a fast 503 with Retry-After,
 * and nothing leaks a stack trace.
 */
public class ProblemMapper {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final Duration DEPENDENCY_RETRY = Duration.ofSeconds(2);

    @ServerExceptionMapper
    public Response problem(Problem problem, HttpServerRequest request) {
        return render(problem, request);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, HttpServerRequest request) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String fields = errors.stream().map(Problem.FieldError::field).distinct().collect(Collectors.joining(", "));
        return render(Problem.invalidRequest("Invalid fields: " + fields, errors), request);
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, HttpServerRequest request) {
        String field = path(e);
        return render(Problem.invalidRequest("Unknown field: " + field,
                List.of(new Problem.FieldError(field, "is not a field of this request"))), request);
    }

    /** Quarkus maps these itself (a bare JSON 400) unless a more specific mapper exists: this one. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, HttpServerRequest request) {
        return unreadable(e, request);
    }

    @ServerExceptionMapper
    public Response undefined(InvalidDefinitionException e, HttpServerRequest request) {
        return unreadable(e, request);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonMappingException e, HttpServerRequest request) {
        String field = path(e);
        if (field.isEmpty()) {
            return render(Problem.invalidRequest("The body is not the expected JSON object", List.of()), request);
        }
        return render(Problem.invalidRequest("Field has the wrong type or format: " + field,
                List.of(new Problem.FieldError(field, "has the wrong type or format"))), request);
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e, HttpServerRequest request) {
        java.util.regex.Matcher duplicate = DUPLICATE_FIELD.matcher(String.valueOf(e.getOriginalMessage()));
        if (duplicate.find()) {
            String field = duplicate.group(1);
            return render(Problem.invalidRequest("Field given more than once: " + field,
                    List.of(new Problem.FieldError(field, "is given more than once"))), request);
        }
        return render(Problem.invalidRequest("The body is not well-formed JSON", List.of()), request);
    }

    /** Jackson's STRICT_DUPLICATE_DETECTION message. */
    private static final java.util.regex.Pattern DUPLICATE_FIELD = java.util.regex.Pattern.compile("^Duplicate field '([^']{1,100})'");

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf("Request failed: %s", e.toString());
            return render(new Problem(status, "internal-error", "Internal error", "The request could not be completed"), request);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return json instanceof JsonMappingException mapping ? unreadable(mapping, request) : malformed(json, request);
        }
        String code = switch (status) {
            case 400 -> "invalid-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            default -> "client-error";
        };
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Client error";
        return render(new Problem(status, code, title, title), request);
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthorized(RuntimeException e, HttpServerRequest request) {
        Response response = render(new Problem(401, "unauthorized", "Authentication required",
                "A valid bearer token is required"), request);
        response.getHeaders().putSingle(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return response;
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return render(new Problem(403, "forbidden", "Forbidden", "This account may not use this resource"), request);
    }

    @ServerExceptionMapper
    public Response shed(BulkheadException e, HttpServerRequest request) {
        return render(Problem.unavailable("The service is at capacity; try again shortly", Duration.ofSeconds(1)), request);
    }

    @ServerExceptionMapper({CircuitBreakerOpenException.class, TimeoutException.class})
    public Response dependencyGuard(RuntimeException e, HttpServerRequest request) {
        LOG.debugf("Answering 503 after fault-tolerance guard: %s", e.toString());
        return render(Problem.unavailable("A backing service is slow or down; try again shortly", DEPENDENCY_RETRY), request);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        if (DependencyFailures.isDependencyFailure(e)) {
            LOG.warnf("Answering 503 after a dependency failure on %s %s: %s", request.method(), request.path(), e.toString());
            return render(Problem.unavailable("A backing service is not reachable; try again shortly", DEPENDENCY_RETRY), request);
        }
        LOG.errorf(e, "Unexpected failure on %s %s", request.method(), request.path());
        return render(new Problem(500, "internal-error", "Internal error", "The request could not be completed"), request);
    }

    public static Response render(Problem problem, HttpServerRequest request) {
        ProblemBody body = new ProblemBody(problem.type(), problem.title(), problem.status(), problem.detail(),
                request == null ? null : request.path(), problem.extensions());
        Response.ResponseBuilder response = Response.status(problem.status()).type(PROBLEM_JSON).entity(body);
        if (problem.retryAfterDelay() != null) {
            long seconds = Math.max(1, (problem.retryAfterDelay().toMillis() + 999) / 1000);
            response.header(HttpHeaders.RETRY_AFTER, seconds);
        }
        return response.build();
    }

    private static String fieldOf(ConstraintViolation<?> violation) {
        // "book.request.slotId" -> "slotId": clients know their body, not our method names
        String path = violation.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        return parts.length <= 2 ? parts[parts.length - 1] : String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length));
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
