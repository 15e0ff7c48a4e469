package io.firstvisit.badinput;

import io.firstvisit.badinput.HostileRequest.Caller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.firstvisit.badinput.HostileRequest.request;
import static io.firstvisit.badinput.Json.quote;

/** A parent joining a department-day's waitlist (issue 11 §2) with a body that is wrong in one way per row. */
final class WaitlistCases {

    private static final String WAITLIST = "/api/v1/waitlist";

    static final Map<String, String> ENTRY = Json.object(
            "hospital", quote("BCH"),
            "department", quote("GROWTH"),
            "date", quote("{date}"),
            "patientId", quote("{patient}"));

    private WaitlistCases() {
    }

    static List<HostileRequest> all() {
        List<HostileRequest> rows = new ArrayList<>();
        for (String field : ENTRY.keySet()) {
            rows.add(join(Json.without(ENTRY, field)).expect(400, "invalid-request", field).named("join waitlist: no " + field));
            rows.add(join(Json.with(ENTRY, field, "null")).expect(400, "invalid-request", field).named("join waitlist: " + field + " null"));
            rows.add(join(Json.with(ENTRY, field, quote(""))).expect(400, "invalid-request", field).named("join waitlist: " + field + " empty"));
            rows.add(join(Json.with(ENTRY, field, "[]")).expect(400, "invalid-request", field).named("join waitlist: " + field + " an array"));
            rows.add(join(Json.with(ENTRY, field, "{}")).expect(400, "invalid-request", field).named("join waitlist: " + field + " an object"));
        }
        Map<String, String> dates = HostileRequest.byLabel(
                "February 30th", quote("2030-02-30"),
                "month 13", quote("2030-13-01"),
                "unpadded", quote("2030-5-1"),
                "a word", quote("tomorrow"),
                "in the past", quote("{dateTooOld}"),
                "beyond the horizon", quote("{dateTooFar}"),
                "the largest LocalDate", quote("+999999999-12-31"),
                "a number", "20300501");
        dates.forEach((label, value) -> rows.add(join(Json.with(ENTRY, "date", value))
                .expect(400, "invalid-request", "date").named("join waitlist: date " + label)));
        for (String code : List.of("bch", "BCH ", "B-C-H", "' OR '1'='1", "X".repeat(40))) {
            rows.add(join(Json.with(ENTRY, "hospital", quote(code))).expect(400, "invalid-request", "hospital")
                    .named("join waitlist: hospital \"" + code + "\""));
        }
        rows.add(join(Json.with(ENTRY, "patientId", quote("not-a-uuid"))).expect(400, "invalid-request", "patientId")
                .named("join waitlist: patientId not a UUID"));
        rows.add(join(Json.with(ENTRY, "patientId", quote("{unknown}"))).expect(404, "patient-not-found")
                .named("join waitlist: someone else's or no patient"));
        rows.add(join(Json.with(ENTRY, "department", quote("NOPE"))).expect(404, "department-not-found")
                .named("join waitlist: unknown department"));
        for (String unknown : List.of("accountId", "position", "state")) {
            rows.add(join(Json.with(ENTRY, unknown, quote("1"))).expect(400, "invalid-request", unknown)
                    .named("join waitlist: unknown field " + unknown + " (mass assignment)"));
        }
        Malformed.BODIES.forEach((label, body) -> rows.add(join(body.apply(Json.render(ENTRY)))
                .expect(400, "invalid-request").named("join waitlist: " + label)));
        Malformed.CONTENT_TYPES.forEach((label, type) -> rows.add(request("POST", WAITLIST).as(Caller.PARENT)
                .body(type, Json.render(ENTRY)).expect(415, "unsupported-media-type").named("join waitlist: Content-Type " + label)));
        for (String method : List.of("PUT", "PATCH")) {
            rows.add(request(method, WAITLIST).as(Caller.PARENT).json(Json.render(ENTRY)).expect(405, "method-not-allowed")
                    .named(method + " " + WAITLIST));
        }
        rows.add(request("POST", WAITLIST).as(Caller.SCHEDULER).json(Json.render(ENTRY)).expect(403, "forbidden")
                .named("join waitlist: a scheduler's token"));
        rows.add(request("GET", WAITLIST).as(Caller.NOBODY).expect(401, "unauthorized").named("GET /api/v1/waitlist: no token"));
        return rows;
    }

    private static HostileRequest.Builder join(String body) {
        return request("POST", WAITLIST).as(Caller.PARENT).json(body);
    }
}
