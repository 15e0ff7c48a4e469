package io.firstvisit.badinput;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Bodies that are not the JSON object a route reads, and Content-Types that are not JSON, shared by every
 * route that takes a body. Each body is made from the route's valid body, so it is wrong in one way only.
 */
final class Malformed {

    /** Label to a transformation of the route's valid JSON body. */
    static final Map<String, UnaryOperator<String>> BODIES = new LinkedHashMap<>();

    static {
        BODIES.put("an empty body", valid -> "");
        BODIES.put("whitespace only", valid -> "  \r\n ");
        BODIES.put("JSON null", valid -> "null");
        BODIES.put("a JSON array", valid -> "[]");
        BODIES.put("the object inside an array", valid -> "[" + valid + "]");
        BODIES.put("a JSON string", valid -> "\"x\"");
        BODIES.put("a JSON number", valid -> "42");
        BODIES.put("JSON true", valid -> "true");
        BODIES.put("an unclosed object", valid -> "{");
        BODIES.put("a closing brace", valid -> "}");
        BODIES.put("cut off half-way", valid -> valid.substring(0, valid.length() / 2));
        BODIES.put("a member without a value", valid -> valid.substring(0, valid.length() - 1) + ",\"x\":}");
        BODIES.put("single quotes", valid -> valid.replace('"', '\''));
        BODIES.put("unquoted member names", valid -> valid.replaceAll("\"(\\w+)\":", "$1:"));
        BODIES.put("a trailing comma", valid -> valid.substring(0, valid.length() - 1) + ",}");
        BODIES.put("a comment before the object", valid -> "/* hi */" + valid);
        BODIES.put("garbage after the object", valid -> valid + " garbage");
        BODIES.put("two objects", valid -> valid + valid);
        BODIES.put("an unescaped control character in a string", valid -> valid.replaceFirst(":\"", ":\"\u0001"));
        BODIES.put("NaN as a value", valid -> valid.substring(0, valid.length() - 1) + ",\"x\":NaN}");
    }

    /** Label to a Content-Type that is not JSON; the body sent is the route's valid JSON. */
    static final Map<String, String> CONTENT_TYPES = HostileRequest.byLabel(
            "text/plain", "text/plain",
            "form-urlencoded", "application/x-www-form-urlencoded",
            "application/xml", "application/xml",
            "multipart", "multipart/form-data; boundary=xyz",
            "application/jsonx", "application/jsonx",
            "text/json", "text/json",
            "application/octet-stream", "application/octet-stream");

    /**
     * Content-Types a media-type parser may choke on; they must still be a 4xx. Kept off the booking path:
     * a lenient server may read them as JSON and book, which the other routes can afford.
     */
    static final Map<String, String> BROKEN_CONTENT_TYPES = HostileRequest.byLabel(
            "without a subtype", "json",
            "a bare slash", "/",
            "a list of types", "application/json, text/plain");

    private Malformed() {
    }
}
