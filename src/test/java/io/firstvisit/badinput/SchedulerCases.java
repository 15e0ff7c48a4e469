package io.firstvisit.badinput;

import io.firstvisit.badinput.HostileRequest.Caller;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.firstvisit.badinput.HostileRequest.request;
import static io.firstvisit.badinput.Json.quote;

/** The scheduler's writes: registering a doctor and publishing slots. */
final class SchedulerCases {

    private static final String DOCTORS = "/api/v1/admin/doctors";
    private static final String SLOTS = "/api/v1/admin/slots";

    static final Map<String, String> DOCTOR = Json.object(
            "hospital", quote("BCH"),
            "department", quote("GROWTH"),
            "name", quote("Dr. Hostile"),
            "title", quote("Attending"),
            "firstVisitQualified", "true");

    static final Map<String, String> SLOT = Json.object(
            "start", quote("{start}"),
            "end", quote("{end}"),
            "capacity", "5");

    static final Map<String, String> PUBLISH = Json.object(
            "doctorId", quote("{doctor}"),
            "visitType", quote("FIRST"),
            "releaseAt", quote("{release}"),
            "slots", "[" + Json.render(SLOT) + "]");

    private SchedulerCases() {
    }

    static List<HostileRequest> all() {
        List<HostileRequest> rows = new ArrayList<>();
        rows.addAll(doctors());
        rows.addAll(publishing());
        return rows;
    }

    private static List<HostileRequest> doctors() {
        List<HostileRequest> rows = new ArrayList<>();
        for (String field : DOCTOR.keySet()) {
            rows.add(doctor(Json.without(DOCTOR, field)).expect(400, "invalid-request", field).named("new doctor: no " + field));
            rows.add(doctor(Json.with(DOCTOR, field, "null")).expect(400, "invalid-request", field).named("new doctor: " + field + " null"));
            rows.add(doctor(Json.with(DOCTOR, field, "[]")).expect(400, "invalid-request", field).named("new doctor: " + field + " an array"));
            rows.add(doctor(Json.with(DOCTOR, field, "{}")).expect(400, "invalid-request", field).named("new doctor: " + field + " an object"));
        }
        for (String field : List.of("hospital", "department", "name", "title")) {
            rows.add(doctor(Json.with(DOCTOR, field, quote(""))).expect(400, "invalid-request", field).named("new doctor: " + field + " empty"));
            rows.add(doctor(Json.with(DOCTOR, field, quote("   "))).expect(400, "invalid-request", field).named("new doctor: " + field + " blank"));
            rows.add(doctor(Json.with(DOCTOR, field, "42")).expect(400, "invalid-request", field).named("new doctor: " + field + " a number"));
            rows.add(doctor(Json.with(DOCTOR, field, "false")).expect(400, "invalid-request", field).named("new doctor: " + field + " a boolean"));
        }
        rows.add(doctor(Json.with(DOCTOR, "firstVisitQualified", quote("yes"))).expect(400, "invalid-request", "firstVisitQualified")
                .named("new doctor: firstVisitQualified \"yes\""));
        rows.add(doctor(Json.with(DOCTOR, "firstVisitQualified", quote("true"))).expect(400, "invalid-request", "firstVisitQualified")
                .named("new doctor: firstVisitQualified the string \"true\""));
        rows.add(doctor(Json.with(DOCTOR, "firstVisitQualified", "1")).expect(400, "invalid-request", "firstVisitQualified")
                .named("new doctor: firstVisitQualified 1"));
        for (Map.Entry<String, String> code : HostileRequest.<String>byLabel(
                "lower case", "bch", "with a newline", "BCH\n", "SQL", "BCH' OR '1'='1", "Lua", "BCH\"]) redis.call('FLUSHALL') --",
                "33 characters", "B".repeat(33), "a glob", "*").entrySet()) {
            rows.add(doctor(Json.with(DOCTOR, "hospital", quote(code.getValue()))).expect(400, "invalid-request", "hospital")
                    .named("new doctor: hospital " + code.getKey()));
        }
        rows.add(doctor(Json.with(DOCTOR, "hospital", quote("ZZZ"))).expect(404, "department-not-found").named("new doctor: unknown hospital"));
        rows.add(doctor(Json.with(DOCTOR, "department", quote("CARDIOLOGY"))).expect(404, "department-not-found")
                .named("new doctor: unknown department"));
        rows.add(doctor(Json.with(DOCTOR, "name", quote("N".repeat(101)))).expect(400, "invalid-request", "name").named("new doctor: name of 101 characters"));
        rows.add(doctor(Json.with(DOCTOR, "title", quote("T".repeat(101)))).expect(400, "invalid-request", "title").named("new doctor: title of 101 characters"));
        HostileText.NAMES.forEach((label, name) -> rows.add(doctor(Json.with(DOCTOR, "name", quote(name)))
                .expect(400, "invalid-request", "name").named("new doctor: name with " + label)));
        rows.add(doctor(Json.with(DOCTOR, "title", quote("Attending\u202e"))).expect(400, "invalid-request", "title")
                .named("new doctor: title with a right-to-left override"));
        for (String unknown : List.of("id", "createdAt", "admin", "Hospital")) {
            rows.add(doctor(Json.with(DOCTOR, unknown, quote("x"))).expect(400, "invalid-request", unknown)
                    .named("new doctor: unknown field " + unknown));
        }
        rows.add(doctor(Json.render(DOCTOR).replace("\"name\":\"Dr. Hostile\"", "\"name\":\"Dr. Hostile\",\"name\":null"))
                .expect(400, "invalid-request", "name").named("new doctor: name given twice, the last null"));
        Malformed.BODIES.forEach((label, body) -> rows.add(doctor(body.apply(Json.render(DOCTOR)))
                .expect(400, "invalid-request").named("new doctor: " + label)));
        Malformed.BROKEN_CONTENT_TYPES.forEach((label, type) -> rows.add(request("POST", DOCTORS).as(Caller.SCHEDULER)
                .body(type, Json.render(DOCTOR)).expectAny4xx().named("new doctor: Content-Type " + label)));
        Malformed.CONTENT_TYPES.forEach((label, type) -> rows.add(request("POST", DOCTORS).as(Caller.SCHEDULER)
                .body(type, Json.render(DOCTOR)).expect(415, "unsupported-media-type").named("new doctor: Content-Type " + label)));
        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            rows.add(request(method, DOCTORS).as(Caller.SCHEDULER).json(Json.render(DOCTOR)).expect(405, "method-not-allowed")
                    .named(method + " " + DOCTORS));
        }
        return rows;
    }

    private static List<HostileRequest> publishing() {
        List<HostileRequest> rows = new ArrayList<>();
        for (String field : PUBLISH.keySet()) {
            rows.add(publish(Json.without(PUBLISH, field)).expect(400, "invalid-request", field).named("publish: no " + field));
            rows.add(publish(Json.with(PUBLISH, field, "null")).expect(400, "invalid-request", field).named("publish: " + field + " null"));
            rows.add(publish(Json.with(PUBLISH, field, "{}")).expect(400, "invalid-request", field).named("publish: " + field + " an object"));
            rows.add(publish(Json.with(PUBLISH, field, "true")).expect(400, "invalid-request", field).named("publish: " + field + " a boolean"));
        }
        for (Map.Entry<String, String> id : HostileRequest.<String>byLabel(
                "empty", "", "a word", "not-a-uuid", "SQL", "{unknown}' OR '1'='1", "without dashes", "{unknownNoDashes}").entrySet()) {
            rows.add(publish(Json.with(PUBLISH, "doctorId", quote(id.getValue()))).expect(400, "invalid-request", "doctorId")
                    .named("publish: doctorId " + id.getKey()));
        }
        rows.add(publish(Json.with(PUBLISH, "doctorId", "12345")).expect(400, "invalid-request", "doctorId").named("publish: doctorId a number"));
        rows.add(publish(Json.with(PUBLISH, "doctorId", quote("{unknown}"))).expect(404, "doctor-not-found").named("publish: unknown doctor"));
        rows.add(publish(Json.with(PUBLISH, "doctorId", quote("{slot}"))).expect(404, "doctor-not-found").named("publish: doctorId is a slot's id"));
        rows.add(publish(Json.with(PUBLISH, "doctorId", quote("{unqualifiedDoctor}"))).expect(422, "not-qualified")
                .named("publish: FIRST slots for a doctor not qualified for first visits"));
        for (String visitType : List.of("first", "SECOND", "", "FIRST\u200b")) {
            rows.add(publish(Json.with(PUBLISH, "visitType", quote(visitType))).expect(400, "invalid-request", "visitType")
                    .named("publish: visitType \"" + visitType.replace("\u200b", "<ZWSP>") + "\""));
        }
        rows.add(publish(Json.with(PUBLISH, "visitType", "0")).expect(400, "invalid-request", "visitType").named("publish: visitType 0 (an enum index)"));
        Map<String, String> badInstants = new java.util.LinkedHashMap<>();
        badInstants.put("without an offset", "2027-03-01T08:00:00");
        badInstants.put("a date only", "2027-03-01");
        badInstants.put("February 30th", "2027-02-30T08:00:00+08:00");
        badInstants.put("hour 25", "2027-03-01T25:00:00+08:00");
        badInstants.put("offset +25:00", "2027-03-01T08:00:00+25:00");
        badInstants.put("a space instead of T", "2027-03-01 08:00:00+08:00");
        badInstants.put("a word", "tomorrow");
        badInstants.put("empty", "");
        badInstants.forEach((label, instant) -> {
            rows.add(publish(Json.with(PUBLISH, "releaseAt", quote(instant))).expect(400, "invalid-request", "releaseAt")
                    .named("publish: releaseAt " + label));
            rows.add(publish(Json.with(PUBLISH, "slots", "[" + Json.with(SLOT, "start", quote(instant)) + "]"))
                    .expect(400, "invalid-request", "slots[0].start").named("publish: slot start " + label));
        });
        rows.add(publish(Json.with(PUBLISH, "releaseAt", quote("{afterStart}"))).expect(400, "invalid-request", "slots[0].start")
                .named("publish: releaseAt after the slot starts"));
        rows.add(publish(Json.with(PUBLISH, "releaseAt", quote("+999999999-12-31T23:59:59+18:00"))).expect(400, "invalid-request", "slots[0].start")
                .named("publish: releaseAt the largest OffsetDateTime"));
        rows.add(publish(Json.with(PUBLISH, "releaseAt", quote("-999999999-01-01T00:00:00-18:00"))).expect(400, "invalid-request", "releaseAt")
                .named("publish: releaseAt the smallest OffsetDateTime"));
        rows.add(publish(Json.with(PUBLISH, "slots", "[" + Json.render(Json.object("start", quote("+300000-01-01T08:00:00+08:00"),
                        "end", quote("+300000-01-01T08:15:00+08:00"), "capacity", "5")) + "]"))
                .expect(400, "invalid-request", "slots[0].start").named("publish: a slot in the year 300000"));
        rows.addAll(slotSpecs());
        rows.add(publish(Json.with(PUBLISH, "slots", "[]")).expect(400, "invalid-request", "slots").named("publish: an empty slot list"));
        rows.add(publish(Json.with(PUBLISH, "slots", quote("x"))).expect(400, "invalid-request", "slots").named("publish: slots a string"));
        rows.add(publish(Json.with(PUBLISH, "slots", "[null]")).expect(400, "invalid-request", "slots[0]").named("publish: a null slot"));
        rows.add(publish(Json.with(PUBLISH, "slots", "[" + String.join(",", Collections.nCopies(501, Json.render(SLOT))) + "]"))
                .expect(400, "invalid-request", "slots").named("publish: 501 slots"));
        rows.add(publish(Json.with(PUBLISH, "slots", "[" + Json.render(SLOT) + "," + Json.render(SLOT) + "]"))
                .expect(409, "slot-conflict").named("publish: the same start twice in one request"));
        for (String unknown : List.of("capacity", "id", "hospital")) {
            rows.add(publish(Json.with(PUBLISH, unknown, "5")).expect(400, "invalid-request", unknown).named("publish: unknown field " + unknown));
        }
        Malformed.BODIES.forEach((label, body) -> rows.add(publish(body.apply(Json.render(PUBLISH)))
                .expect(400, "invalid-request").named("publish: " + label)));
        Malformed.CONTENT_TYPES.forEach((label, type) -> rows.add(request("POST", SLOTS).as(Caller.SCHEDULER)
                .body(type, Json.render(PUBLISH)).expect(415, "unsupported-media-type").named("publish: Content-Type " + label)));
        return rows;
    }

    private static List<HostileRequest> slotSpecs() {
        List<HostileRequest> rows = new ArrayList<>();
        for (String field : SLOT.keySet()) {
            rows.add(publishSlot(Json.without(SLOT, field)).expect(400, "invalid-request", "slots[0]." + field).named("publish: slot without " + field));
            rows.add(publishSlot(Json.with(SLOT, field, "null")).expect(400, "invalid-request", "slots[0]." + field).named("publish: slot " + field + " null"));
            rows.add(publishSlot(Json.with(SLOT, field, "[]")).expect(400, "invalid-request", "slots[0]." + field).named("publish: slot " + field + " an array"));
        }
        Map<String, String> capacities = new java.util.LinkedHashMap<>();
        capacities.put("0", "0");
        capacities.put("-1", "-1");
        capacities.put("1001", "1001");
        capacities.put("2^31", "2147483648");
        capacities.put("1e30", "1e30");
        capacities.put("1.5", "1.5");
        capacities.put("the string \"20\"", quote("20"));
        capacities.put("an empty string", quote(""));
        capacities.put("true", "true");
        capacities.put("an object", "{}");
        capacities.forEach((label, value) -> rows.add(publishSlot(Json.with(SLOT, "capacity", value))
                .expect(400, "invalid-request", "slots[0].capacity").named("publish: capacity " + label)));
        rows.add(publishSlot(Json.with(SLOT, "capacity", "NaN")).expect(400, "invalid-request").named("publish: capacity NaN (not JSON)"));
        rows.add(publishSlot(Json.with(SLOT, "end", quote("{start}"))).expect(400, "invalid-request", "slots[0].end").named("publish: slot ends when it starts"));
        rows.add(publishSlot(Json.with(SLOT, "end", quote("{endBeforeStart}"))).expect(400, "invalid-request", "slots[0].end").named("publish: slot ends before it starts"));
        rows.add(publishSlot(Json.with(SLOT, "end", quote("{endAfter25h}"))).expect(400, "invalid-request", "slots[0].end").named("publish: slot of 25 hours"));
        rows.add(publishSlot(Json.render(Json.object("start", quote("{past}"), "end", quote("{pastEnd}"), "capacity", "5")))
                .expect(400, "invalid-request", "slots[0].start").named("publish: slot in the past"));
        rows.add(publishSlot(Json.with(SLOT, "room", quote("A"))).expect(400, "invalid-request", "slots[0].room").named("publish: slot with unknown field room"));
        return rows;
    }

    private static HostileRequest.Builder doctor(String body) {
        return request("POST", DOCTORS).as(Caller.SCHEDULER).json(body);
    }

    private static HostileRequest.Builder publish(String body) {
        return request("POST", SLOTS).as(Caller.SCHEDULER).json(body);
    }

    private static HostileRequest.Builder publishSlot(String slot) {
        return publish(Json.with(PUBLISH, "slots", "[" + slot + "]"));
    }
}
