package io.firstvisit.badinput;

import io.restassured.path.json.JsonPath;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a clean refusal looks like: a 4xx; when there is a body, RFC 9457 problem+json whose type names
 * the problem (and, for 400, the offending field); and nothing about the server's insides.
 */
final class Refusal {

    static final String TYPE_BASE = "https://firstvisit.dev/problems/";

    /** Stack frames and class names: never in a body, wherever they come from. */
    private static final Pattern INTERNALS = Pattern.compile(
            "Exception|\\tat |\\.java:\\d+|Caused by|java\\.(lang|util|io)\\.|io\\.firstvisit\\.|io\\.vertx\\.|io\\.quarkus\\.|"
                    + "io\\.smallrye\\.|io\\.netty\\.|org\\.jboss\\.|org\\.hibernate\\.|com\\.fasterxml\\.|org\\.postgresql");

    /**
     * Parser, SQL and Redis wording: never in what the server writes itself (title, detail, messages).
     * Not applied to {@code instance} and field names, which echo what the client sent.
     */
    private static final Pattern INTERNAL_WORDING = Pattern.compile(
            "(?i)jackson|Unrecognized field|Cannot (deserialize|coerce|construct)|\\[Source|line: \\d|column: \\d|"
                    + "SQLSTATE|syntax error|duplicate key|violates|relation \"|PgException|(?-i:ERR )|NOSCRIPT|\\bredis\\b|\\blua\\b|"
                    + "HV\\d{6}|jakarta\\.|\\$Proxy|@[0-9a-f]{6,}");

    private Refusal() {
    }

    static void assertClean(HostileRequest row, String sent, RawHttp.Reply reply) {
        String context = "\n[" + row.name() + "]\n--- request ---\n" + sent + "\n--- response ---\n" + RawHttp.abbreviate(reply.toString());
        HostileRequest.Expected expected = row.expected();
        assertTrue(reply.status() >= 400 && reply.status() < 500, "expected a 4xx" + context);
        if (expected.status() != 0) {
            assertEquals(expected.status(), reply.status(), "status" + context);
        }
        String text = reply.text();
        assertFalse(INTERNALS.matcher(text).find(), "the body shows server internals" + context);
        if (text.isBlank()) {
            if (expected.code() != null) {
                fail("expected a problem+json body naming '" + expected.code() + "', got none" + context);
            }
            return;
        }
        String contentType = reply.header("content-type");
        assertTrue(contentType != null && contentType.startsWith("application/problem+json"),
                "a body that is not application/problem+json" + context);
        JsonPath problem;
        try {
            problem = JsonPath.from(text);
        } catch (RuntimeException e) {
            throw new AssertionError("problem+json that does not parse" + context, e);
        }
        String type = problem.getString("type");
        assertTrue(type != null && type.startsWith(TYPE_BASE) && type.length() > TYPE_BASE.length(),
                "a type that names the problem" + context);
        assertEquals(reply.status(), problem.getInt("status"), "the status member" + context);
        if (expected.code() != null) {
            assertEquals(TYPE_BASE + expected.code(), type, "problem type" + context);
        }
        String written = serverWritten(problem);
        assertFalse(INTERNAL_WORDING.matcher(written).find(), "server-written text shows internals: " + written + context);
        if (expected.field() != null) {
            List<String> fields = problem.getList("errors.field", String.class);
            assertTrue(fields != null && fields.stream().anyMatch(f -> names(f, expected.field())),
                    "errors must name '" + expected.field() + "', named " + fields + context);
        }
    }

    /**
     * The weaker promise for generated requests, which may be valid by chance: never a 5xx, a 4xx body is
     * problem+json with a named type, and no body shows the server's insides.
     */
    static void assertNeverBroken(int status, String contentType, String body, String context) {
        assertTrue(status < 500, "a 5xx" + context);
        assertFalse(INTERNALS.matcher(body).find(), "the body shows server internals" + context);
        if (status >= 400 && !body.isBlank()) {
            assertTrue(contentType != null && contentType.startsWith("application/problem+json"),
                    "a 4xx body that is not application/problem+json" + context);
            String type = JsonPath.from(body).getString("type");
            assertTrue(type != null && type.startsWith(TYPE_BASE) && type.length() > TYPE_BASE.length(),
                    "a type that names the problem" + context);
        }
    }

    /** Title, detail and error messages: the parts the server words itself. */
    private static String serverWritten(JsonPath problem) {
        String messages = problem.getList("errors", Map.class) == null ? ""
                : problem.getList("errors.message", String.class).stream().collect(Collectors.joining(" | "));
        return problem.getString("title") + " | " + problem.getString("detail") + " | " + messages;
    }

    private static boolean names(String field, String expected) {
        return field.equals(expected) || field.startsWith(expected + ".") || field.startsWith(expected + "[");
    }
}
