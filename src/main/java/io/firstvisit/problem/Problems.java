package io.firstvisit.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * Puts a {@link Problem} into words for the request that gets it: the one place that reads
 * {@code Accept-Language} and writes {@code Content-Language}.
 */
@ApplicationScoped
public class Problems {

    private static final int REMEMBERED = 256;

    private final Language fallback;
    private final java.util.concurrent.ConcurrentMap<String, Language> remembered = new java.util.concurrent.ConcurrentHashMap<>();

    public Problems(LanguageConfig config) {
        this.fallback = Language.ofTag(config.defaultTag());
    }

    /**
     * The language of {@code Accept-Language}. Apps send a handful of distinct headers, and a refusal (the crowd's usual
     * answer) would otherwise parse one per request: the first {@link #REMEMBERED} distinct headers are remembered.
     */
    public Language language(String acceptLanguage) {
        if (acceptLanguage == null) {
            return fallback;
        }
        Language known = remembered.get(acceptLanguage);
        if (known != null) {
            return known;
        }
        Language language = Language.accepted(acceptLanguage, fallback);
        if (remembered.size() < REMEMBERED) {
            remembered.putIfAbsent(acceptLanguage, language);
        }
        return language;
    }

    public ProblemBody body(Problem problem, String instance, Language language) {
        return new ProblemBody(problem.type(), problem.title(language), problem.status(), problem.detail(language), instance,
                problem.extensions());
    }

    /** The whole answer: status, problem+json body in the asked language, Retry-After when the problem has one. */
    public Response response(Problem problem, String instance, String acceptLanguage) {
        Language language = language(acceptLanguage);
        Response.ResponseBuilder response = Response.status(problem.status()).type(ProblemMapper.PROBLEM_JSON)
                .entity(body(problem, instance, language))
                .header(HttpHeaders.CONTENT_LANGUAGE, language.tag())
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE);
        if (problem.retryAfterDelay() != null) {
            long seconds = Math.max(1, (problem.retryAfterDelay().toMillis() + 999) / 1000);
            response.header(HttpHeaders.RETRY_AFTER, seconds);
        }
        return response.build();
    }
}
