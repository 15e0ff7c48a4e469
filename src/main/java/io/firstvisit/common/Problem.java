package io.firstvisit.common;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem that a request ends with. Thrown anywhere on the request path and turned into
 * an {@code application/problem+json} response by {@link ProblemMapper}; the {@code code} is the last
 * path segment of the {@code type} URI and is what clients switch on.
 */
public class Problem extends RuntimeException {

    public static final String TYPE_BASE = "https://firstvisit.dev/problems/";

    private final int status;
    private final String code;
    private final String title;
    private final Duration retryAfter;
    private final Map<String, Object> extensions;

    public Problem(int status, String code, String title, String detail) {
        this(status, code, title, detail, null, Map.of());
    }

    private Problem(int status, String code, String title, String detail, Duration retryAfter, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.retryAfter = retryAfter;
        this.extensions = extensions;
    }

    public Problem with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Problem(status, code, title, getMessage(), retryAfter, more);
    }

    public Problem retryAfter(Duration delay) {
        return new Problem(status, code, title, getMessage(), delay, extensions);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Duration retryAfterDelay() {
        return retryAfter;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public URI type() {
        return URI.create(TYPE_BASE + code);
    }

    // The problems the v1 contract names, in one place.

    public static Problem invalidRequest(String detail, List<FieldError> errors) {
        return new Problem(400, "invalid-request", "The request is not valid", detail).with("errors", errors);
    }

    public static Problem notFound(String code, String detail) {
        return new Problem(404, code, "Not found", detail);
    }

    public static Problem unavailable(String detail, Duration retryAfter) {
        return new Problem(503, "unavailable", "Service temporarily unavailable", detail).retryAfter(retryAfter);
    }

    public static Problem rateLimited(String detail, Duration retryAfter) {
        return new Problem(429, "rate-limited", "Too many requests", detail).retryAfter(retryAfter);
    }

    /** One offending field of a request: where it is and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
