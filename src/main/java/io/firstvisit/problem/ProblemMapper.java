package io.firstvisit.problem;

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

    private final Problems problems;

    public ProblemMapper(Problems problems) {
        this.problems = problems;
    }

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
        return render(Problem.invalidRequest("invalid-fields", errors, fields), request);
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, HttpServerRequest request) {
        String field = path(e);
        return render(Problem.invalidRequest("unknown-field",
                List.of(new Problem.FieldError(field, "is not a field of this request")), field), request);
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
            return render(Problem.invalidRequest("not-a-json-object", List.of()), request);
        }
        return render(Problem.invalidRequest("wrong-type",
                List.of(new Problem.FieldError(field, "has the wrong type or format")), field), request);
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e, HttpServerRequest request) {
        java.util.regex.Matcher duplicate = DUPLICATE_FIELD.matcher(String.valueOf(e.getOriginalMessage()));
        if (duplicate.find()) {
            String field = duplicate.group(1);
            return render(Problem.invalidRequest("duplicate-field",
                    List.of(new Problem.FieldError(field, "is given more than once")), field), request);
        }
        return render(Problem.invalidRequest("malformed-json", List.of()), request);
    }

    /** Jackson's STRICT_DUPLICATE_DETECTION message. */
    private static final java.util.regex.Pattern DUPLICATE_FIELD = java.util.regex.Pattern.compile("^Duplicate field '([^']{1,100})'");

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf("Request failed: %s", e.toString());
            return render(Problem.of(status, "internal-error", "internal-error"), request);
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
        return render(Problem.of(status, code, code), request);
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthorized(RuntimeException e, HttpServerRequest request) {
        Response response = render(Problem.of(401, "unauthorized", "unauthorized"), request);
        response.getHeaders().putSingle(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return response;
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return render(Problem.of(403, "forbidden", "forbidden"), request);
    }

    @ServerExceptionMapper
    public Response shed(BulkheadException e, HttpServerRequest request) {
        return render(Problem.unavailable("at-capacity", Duration.ofSeconds(1)), request);
    }

    @ServerExceptionMapper({CircuitBreakerOpenException.class, TimeoutException.class})
    public Response dependencyGuard(RuntimeException e, HttpServerRequest request) {
        LOG.debugf("Answering 503 after fault-tolerance guard: %s", e.toString());
        return render(Problem.unavailable("dependency-slow", DEPENDENCY_RETRY), request);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        if (DependencyFailures.isDependencyFailure(e)) {
            LOG.warnf("Answering 503 after a dependency failure on %s %s: %s", request.method(), request.path(), e.toString());
            return render(Problem.unavailable("dependency-down", DEPENDENCY_RETRY), request);
        }
        LOG.errorf(e, "Unexpected failure on %s %s", request.method(), request.path());
        return render(Problem.of(500, "internal-error", "internal-error"), request);
    }

    private Response render(Problem problem, HttpServerRequest request) {
        return problems.response(problem, request == null ? null : request.path(),
                request == null ? null : request.getHeader(HttpHeaders.ACCEPT_LANGUAGE));
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
