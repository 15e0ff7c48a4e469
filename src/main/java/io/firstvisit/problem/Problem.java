package io.firstvisit.problem;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem that a request ends with. Thrown anywhere on the request path and turned into
 * an {@code application/problem+json} response by {@link ProblemMapper}; the {@code code} is the last
 * path segment of the {@code type} URI and is what clients switch on.
 * <p>
 * A problem carries no words, only the keys of its words ({@link ProblemTexts}): the title follows from the
 * code, the detail from a key and its arguments. They are put into the request's {@link Language} when the
 * answer is written, so the code that refuses does not need to know who is asking.
 */
public class Problem extends RuntimeException {

    public static final String TYPE_BASE = "https://firstvisit.dev/problems/";

    private final int status;
    private final String code;
    private final String detailKey;
    private final Object[] args;
    private final Duration retryAfter;
    private final Map<String, Object> extensions;

    private Problem(int status, String code, String detailKey, Object[] args, Duration retryAfter, Map<String, Object> extensions) {
        super(null, null, false, false);
        if (!ProblemTexts.hasTitle(code) || !ProblemTexts.hasDetail(detailKey)) {
            throw new IllegalArgumentException("No problem text for " + code + " / " + detailKey + " in problems/*.properties");
        }
        this.status = status;
        this.code = code;
        this.detailKey = detailKey;
        this.args = args;
        this.retryAfter = retryAfter;
        this.extensions = extensions;
    }

    /**
     * A problem of type {@code code} whose detail is the text {@code detail.<detailKey>} with {@code args} (each
     * read as text). Both must be in problems/*.properties.
     */
    public static Problem of(int status, String code, String detailKey, Object... args) {
        return new Problem(status, code, detailKey, args, null, Map.of());
    }

    public Problem with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Problem(status, code, detailKey, args, retryAfter, more);
    }

    public Problem retryAfter(Duration delay) {
        return new Problem(status, code, detailKey, args, delay, extensions);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title(Language language) {
        return ProblemTexts.title(language, code);
    }

    public String detail(Language language) {
        return ProblemTexts.detail(language, detailKey, args);
    }

    /** The English detail: what logs and exception traces show. */
    @Override
    public String getMessage() {
        return detail(Language.EN);
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

    // The problems every part of the v1 contract uses, in one place.

    public static Problem invalidRequest(String detailKey, List<FieldError> errors, Object... args) {
        return of(400, "invalid-request", detailKey, args).with("errors", errors);
    }

    /** 404 {@code code}, with the detail {@code detail.<code>}. */
    public static Problem notFound(String code, Object... args) {
        return of(404, code, code, args);
    }

    public static Problem unavailable(String detailKey, Duration retryAfter) {
        return of(503, "unavailable", detailKey).retryAfter(retryAfter);
    }

    public static Problem rateLimited(String detailKey, Duration retryAfter) {
        return of(429, "rate-limited", detailKey).retryAfter(retryAfter);
    }

    /** One offending field of a request: where it is and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
