package io.firstvisit.badinput;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the hostile-request table: what is sent, as whom, and how it must be refused. Targets,
 * bodies and header values may hold placeholders ({@code {slot}}, {@code {patient}}, …) that
 * {@link Fixture#resolve} fills in when the row runs.
 *
 * @param expected    the refusal: an exact status (or any 4xx), the problem code and the offending
 *                    field when the refusal can name them
 * @param bookingPath true when the row aims at the booking path and must leave the fixture slot's
 *                    places untouched
 */
record HostileRequest(String name, String method, String target, Caller caller, List<RawHttp.Header> headers,
                      String contentType, String body, byte[] rawBody, Expected expected, boolean bookingPath) {

    /** Who sends the row. {@code NEW_PARENT} is a fresh account per row, so per-account limits never mask a refusal. */
    enum Caller { NOBODY, PARENT, NEW_PARENT, SCHEDULER }

    /**
     * @param status 0 for "any 4xx" (the refusal may come from the HTTP layer or the API)
     * @param code   the problem type's last segment; null when the HTTP layer may answer without a body
     * @param field  a field that {@code errors} must name (itself or a sub-field of it); null when none can be named
     */
    record Expected(int status, String code, String field) {
    }

    static Builder request(String method, String target) {
        return new Builder(method, target);
    }

    /** Label/value pairs, in the order given: the variations a family of rows is made from. */
    @SuppressWarnings("unchecked")
    static <V> Map<String, V> byLabel(Object... labelsAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < labelsAndValues.length; i += 2) {
            map.put((String) labelsAndValues[i], (V) labelsAndValues[i + 1]);
        }
        return map;
    }

    /** How the row reads in test reports and failure messages. */
    @Override
    public String toString() {
        return name;
    }

    byte[] bodyBytes(Fixture fixture) {
        if (rawBody != null) {
            // Placeholders are ASCII: resolving them byte for byte leaves the deliberately broken bytes as they are.
            return fixture.resolve(new String(rawBody, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        }
        return body == null ? null : fixture.resolve(body).getBytes(StandardCharsets.UTF_8);
    }

    static final class Builder {
        private final String method;
        private final String target;
        private Caller caller = Caller.NOBODY;
        private final List<RawHttp.Header> headers = new ArrayList<>();
        private String contentType;
        private String body;
        private byte[] rawBody;
        private Expected expected = new Expected(0, null, null);
        private boolean bookingPath;

        private Builder(String method, String target) {
            this.method = method;
            this.target = target;
        }

        Builder as(Caller who) {
            this.caller = who;
            return this;
        }

        /** A body sent as {@code application/json}. */
        Builder json(String json) {
            return body("application/json", json);
        }

        /** A body with the given Content-Type, or none when {@code type} is null. */
        Builder body(String type, String text) {
            this.contentType = type;
            this.body = text;
            return this;
        }

        Builder raw(String type, byte[] bytes) {
            this.contentType = type;
            this.rawBody = bytes;
            return this;
        }

        Builder header(String name, String value) {
            headers.add(new RawHttp.Header(name, value));
            return this;
        }

        Builder onBookingPath() {
            this.bookingPath = true;
            return this;
        }

        Builder expect(int status, String code) {
            return expect(status, code, null);
        }

        Builder expect(int status, String code, String field) {
            this.expected = new Expected(status, code, field);
            return this;
        }

        /** Refused somewhere before the API (bad request line or header): a status, maybe no body. */
        Builder expectHttpLayer(int status) {
            this.expected = new Expected(status, null, null);
            return this;
        }

        Builder expectAny4xx() {
            this.expected = new Expected(0, null, null);
            return this;
        }

        HostileRequest named(String name) {
            return new HostileRequest(name, method, target, caller, List.copyOf(headers), contentType, body, rawBody,
                    expected, bookingPath);
        }
    }
}
