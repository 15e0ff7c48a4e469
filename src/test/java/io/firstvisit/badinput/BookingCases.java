package io.firstvisit.badinput;

import io.firstvisit.badinput.HostileRequest.Caller;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.firstvisit.badinput.HostileRequest.request;
import static io.firstvisit.badinput.Json.quote;

/**
 * The booking path. Every row is sent by the fixture parent, whose child could book the fixture slot
 * for real: a row that slipped through validation would take a place, and the table checks after
 * each row that none did. Rows that a lenient parser would turn into a valid booking (a BOM, a charset
 * parameter, a trailing comment) are left to the other routes, where being wrongly accepted costs nothing.
 */
final class BookingCases {

    private static final String BOOKINGS = "/api/v1/bookings";

    static final Map<String, String> BOOKING = Json.object(
            "slotId", quote("{slot}"),
            "patientId", quote("{patient}"));

    /** Values for slotId and patientId that are not an id, as raw JSON. */
    private static final Map<String, String> NOT_AN_ID = HostileRequest.byLabel(
            "empty", quote(""),
            "blank", quote("   "),
            "a word", quote("not-a-uuid"),
            "without dashes", quote("{unknownNoDashes}"),
            "in braces", quote("{{unknown}}"),
            "with a trailing space", quote("{unknown} "),
            "with a NUL", quote("{unknown}\u0000"),
            "two ids", quote("{slot}{patient}"),
            "SQL ' OR '1'='1", quote("{unknown}' OR '1'='1"),
            "SQL ;DROP TABLE", quote("x'; DROP TABLE booking; --"),
            "Lua closing KEYS", quote("\"]) redis.call('FLUSHALL') --"),
            "Lua string break-out", quote("x'..redis.call('DEL', KEYS[1])..'"),
            "a Redis key", quote("fvtest:slot:{slot}"),
            "a number", "12345",
            "a boolean", "true",
            "an array of the id", "[" + quote("{slot}") + "]",
            "a NoSQL operator", "{\"$ne\":null}",
            "an object", "{}",
            "10 000 characters", quote("a".repeat(10_000)));

    private BookingCases() {
    }

    static List<HostileRequest> all() {
        List<HostileRequest> rows = new ArrayList<>();
        for (String field : BOOKING.keySet()) {
            rows.add(book(Json.without(BOOKING, field)).expect(400, "invalid-request", field).named("book: no " + field));
            rows.add(book(Json.with(BOOKING, field, "null")).expect(400, "invalid-request", field).named("book: " + field + " null"));
            NOT_AN_ID.forEach((label, value) -> rows.add(book(Json.with(BOOKING, field, value))
                    .expect(400, "invalid-request", field).named("book: " + field + " " + label)));
        }
        rows.add(book(Json.with(BOOKING, "slotId", quote("{unknown}"))).expect(404, "slot-not-found").named("book: unknown slot"));
        rows.add(book(Json.with(BOOKING, "slotId", quote("{UNKNOWN}"))).expect(404, "slot-not-found").named("book: unknown slot, upper case"));
        rows.add(book(Json.with(BOOKING, "patientId", quote("{unknown}"))).expect(404, "patient-not-found").named("book: unknown patient"));
        rows.add(book("{\"slotId\":\"{patient}\",\"patientId\":\"{slot}\"}").expect(404, "slot-not-found").named("book: ids swapped"));
        rows.add(book(Json.with(BOOKING, "slotId", quote("{doctor}"))).expect(404, "slot-not-found").named("book: a doctor's id as the slot"));
        rows.add(book(Json.with(BOOKING, "patientId", quote("{slot}"))).expect(404, "patient-not-found").named("book: the slot's id as the patient"));
        // Either answer is right: refusing duplicate members outright, or last-one-wins and then "not an id".
        rows.add(book("{\"slotId\":\"{slot}\",\"patientId\":\"{patient}\",\"slotId\":\"not-a-uuid\"}")
                .expect(400, "invalid-request").named("book: slotId twice, the last not an id"));
        for (String unknown : List.of("seat", "status", "accountId", "id", "idempotencyKey", "slotid")) {
            rows.add(book(Json.with(BOOKING, unknown, "0")).expect(400, "invalid-request", unknown)
                    .named("book: unknown field " + unknown));
        }
        Malformed.BODIES.forEach((label, body) -> {
            if (!label.equals("garbage after the object") && !label.equals("two objects")) {
                rows.add(book(body.apply(Json.render(BOOKING))).expect(400, "invalid-request").named("book: " + label));
            }
        });
        rows.add(request("POST", BOOKINGS).as(Caller.PARENT).onBookingPath()
                .raw("application/json", Json.render(BOOKING).replace("{slot}", "{slot}\u00c3(").getBytes(StandardCharsets.ISO_8859_1))
                .expect(400, "invalid-request").named("book: invalid UTF-8 in the body"));
        Malformed.CONTENT_TYPES.forEach((label, type) -> rows.add(request("POST", BOOKINGS).as(Caller.PARENT).onBookingPath()
                .body(type, type.startsWith("application/x-www-form") ? "slotId={slot}&patientId={patient}" : Json.render(BOOKING))
                .expect(415, "unsupported-media-type").named("book: Content-Type " + label)));
        rows.add(book(Json.render(BOOKING) + " ".repeat(65 * 1024)).expect(413, null)
                .named("book: a valid booking padded with whitespace past 64 KiB"));
        rows.add(book(Json.with(BOOKING, "slotId", quote("a".repeat(70_000)))).expect(413, null).named("book: a 70 000-character slotId"));
        rows.addAll(idempotencyKeys());
        for (String method : List.of("PUT", "PATCH")) {
            rows.add(request(method, BOOKINGS).as(Caller.PARENT).onBookingPath().json(Json.render(BOOKING))
                    .expect(405, "method-not-allowed").named(method + " " + BOOKINGS));
        }
        rows.add(request("POST", BOOKINGS + "/{unknown}").as(Caller.PARENT).onBookingPath().json(Json.render(BOOKING))
                .expect(405, "method-not-allowed").named("POST /api/v1/bookings/{id}"));
        rows.add(request("GET", BOOKINGS).as(Caller.PARENT).header("Accept", "application/xml").expect(406, "not-acceptable")
                .named("GET /api/v1/bookings: Accept application/xml"));
        return rows;
    }

    /** A valid booking with a broken Idempotency-Key: the key is checked before anything is reserved. */
    private static List<HostileRequest> idempotencyKeys() {
        List<HostileRequest> rows = new ArrayList<>();
        Map<String, List<RawHttp.Header>> headerSets = HostileRequest.byLabel(
                "sent twice with the same value", List.of(key("Idempotency-Key", "k-1"), key("Idempotency-Key", "k-1")),
                "sent twice with different values", List.of(key("Idempotency-Key", "k-1"), key("Idempotency-Key", "k-2")),
                "sent twice, names in different case", List.of(key("Idempotency-Key", "k-1"), key("idempotency-key", "k-1")),
                "empty", List.of(key("Idempotency-Key", "")),
                "201 characters", List.of(key("Idempotency-Key", "k".repeat(201))),
                "8000 characters", List.of(key("Idempotency-Key", "k".repeat(8000))),
                "with a space", List.of(key("Idempotency-Key", "k 1")),
                "a list", List.of(key("Idempotency-Key", "k-1, k-2")),
                "with a tab", List.of(key("Idempotency-Key", "k\t1")),
                "Cyrillic (UTF-8 bytes)", List.of(key("Idempotency-Key", "ключ")),
                "with a C1 control (NEL)", List.of(key("Idempotency-Key", "k\u00851")),
                "SQL", List.of(key("Idempotency-Key", "k'; DROP TABLE booking; --")));
        headerSets.forEach((label, headers) -> {
            HostileRequest.Builder row = book(Json.render(BOOKING));
            headers.forEach(h -> row.header(h.name(), h.value()));
            rows.add(row.expect(400, "invalid-request", "Idempotency-Key").named("book: Idempotency-Key " + label));
        });
        // The HTTP layer refuses these header bytes itself, before the API sees them.
        for (Map.Entry<String, String> control : HostileRequest.<String>byLabel(
                "with a SOH control", "k\u00011", "with an ESC sequence", "\u001b[31mk", "with DEL", "k\u007f1",
                "with a NUL", "k\u00001").entrySet()) {
            rows.add(book(Json.render(BOOKING)).header("Idempotency-Key", control.getValue()).expectHttpLayer(400)
                    .named("book: Idempotency-Key " + control.getKey()));
        }
        rows.add(book(Json.render(BOOKING)).header("Idempotency-Key", "k".repeat(30_000)).expectHttpLayer(431)
                .named("book: Idempotency-Key of 30 000 characters"));
        rows.add(book(Json.with(BOOKING, "slotId", quote("not-a-uuid"))).header("Idempotency-Key", "k-valid")
                .expect(400, "invalid-request", "slotId").named("book: a valid Idempotency-Key does not save an invalid body"));
        return rows;
    }

    private static RawHttp.Header key(String name, String value) {
        return new RawHttp.Header(name, value);
    }

    private static HostileRequest.Builder book(String body) {
        return request("POST", BOOKINGS).as(Caller.PARENT).onBookingPath().json(body);
    }
}
