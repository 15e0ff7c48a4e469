package io.firstvisit.badinput;

import io.firstvisit.badinput.HostileRequest.Caller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.firstvisit.badinput.HostileRequest.request;
import static io.firstvisit.badinput.Json.quote;

/**
 * A parent adding a child's profile. Every row is sent by a fresh account, so the ten-profiles-per-account
 * limit cannot stand in for the refusal under test.
 */
final class PatientCases {

    private static final String PATIENTS = "/api/v1/patients";

    static final Map<String, String> PATIENT = Json.object(
            "name", quote("Hostile Child"),
            "birthDate", quote("2020-05-01"),
            "sex", quote("FEMALE"));

    private PatientCases() {
    }

    static List<HostileRequest> all() {
        List<HostileRequest> rows = new ArrayList<>();
        for (String field : PATIENT.keySet()) {
            rows.add(patient(Json.without(PATIENT, field)).expect(400, "invalid-request", field).named("new patient: no " + field));
            rows.add(patient(Json.with(PATIENT, field, "null")).expect(400, "invalid-request", field).named("new patient: " + field + " null"));
            rows.add(patient(Json.with(PATIENT, field, quote(""))).expect(400, "invalid-request", field).named("new patient: " + field + " empty"));
            rows.add(patient(Json.with(PATIENT, field, "[]")).expect(400, "invalid-request", field).named("new patient: " + field + " an array"));
            rows.add(patient(Json.with(PATIENT, field, "{}")).expect(400, "invalid-request", field).named("new patient: " + field + " an object"));
            rows.add(patient(Json.with(PATIENT, field, "true")).expect(400, "invalid-request", field).named("new patient: " + field + " a boolean"));
        }
        rows.add(patient(Json.with(PATIENT, "name", quote("   "))).expect(400, "invalid-request", "name").named("new patient: name blank"));
        rows.add(patient(Json.with(PATIENT, "name", quote("\u00a0\u3000"))).expect(400, "invalid-request", "name")
                .named("new patient: name of a no-break and an ideographic space"));
        rows.add(patient(Json.with(PATIENT, "name", quote("\u2003\u205f\u3000 "))).expect(400, "invalid-request", "name")
                .named("new patient: name of Unicode spaces only"));
        rows.add(patient(Json.with(PATIENT, "name", "12345")).expect(400, "invalid-request", "name").named("new patient: name a number"));
        rows.add(patient(Json.with(PATIENT, "name", quote("N".repeat(101)))).expect(400, "invalid-request", "name")
                .named("new patient: name of 101 characters"));
        HostileText.NAMES.forEach((label, name) -> rows.add(patient(Json.with(PATIENT, "name", quote(name)))
                .expect(400, "invalid-request", "name").named("new patient: name with " + label)));
        Map<String, String> dates = HostileRequest.byLabel(
                "February 30th", quote("2020-02-30"),
                "month 13", quote("2020-13-01"),
                "unpadded", quote("2020-5-1"),
                "day first", quote("01/05/2020"),
                "a word", quote("yesterday"),
                "in the future", quote("2999-01-01"),
                "before 1900", quote("1899-12-31"),
                "the smallest LocalDate", quote("-999999999-01-01"),
                "the largest LocalDate", quote("+999999999-12-31"),
                "a number", "20200501",
                "days since 1970", "17532",
                "an array of numbers", "[2018,1,1]",
                "a timestamp in UTC", quote("2018-01-01T00:00:00Z"),
                "a local date-time", quote("2018-01-01T00:00:00"),
                "with slashes", quote("2020/05/01"));
        dates.forEach((label, value) -> rows.add(patient(Json.with(PATIENT, "birthDate", value))
                .expect(400, "invalid-request", "birthDate").named("new patient: birthDate " + label)));
        for (String sex : List.of("female", "OTHER", "F", "FEMALE\u200b")) {
            rows.add(patient(Json.with(PATIENT, "sex", quote(sex))).expect(400, "invalid-request", "sex")
                    .named("new patient: sex \"" + sex.replace("\u200b", "<ZWSP>") + "\""));
        }
        rows.add(patient(Json.with(PATIENT, "sex", "0")).expect(400, "invalid-request", "sex").named("new patient: sex 0 (an enum index)"));
        for (String unknown : List.of("accountId", "id", "createdAt", "Name")) {
            rows.add(patient(Json.with(PATIENT, unknown, quote("someone-else"))).expect(400, "invalid-request", unknown)
                    .named("new patient: unknown field " + unknown + " (mass assignment)"));
        }
        Malformed.BODIES.forEach((label, body) -> rows.add(patient(body.apply(Json.render(PATIENT)))
                .expect(400, "invalid-request").named("new patient: " + label)));
        rows.add(request("POST", PATIENTS).as(Caller.NEW_PARENT)
                .raw("application/json", Json.render(PATIENT).replace("Hostile", "Hos\u00c3(tile").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                .expect(400, "invalid-request").named("new patient: invalid UTF-8 in the body"));
        Malformed.CONTENT_TYPES.forEach((label, type) -> rows.add(request("POST", PATIENTS).as(Caller.NEW_PARENT)
                .body(type, Json.render(PATIENT)).expect(415, "unsupported-media-type").named("new patient: Content-Type " + label)));
        Malformed.BROKEN_CONTENT_TYPES.forEach((label, type) -> rows.add(request("POST", PATIENTS).as(Caller.NEW_PARENT)
                .body(type, Json.render(PATIENT)).expectAny4xx().named("new patient: Content-Type " + label)));
        rows.add(request("POST", PATIENTS).as(Caller.NEW_PARENT).json(Json.with(PATIENT, "name", quote("N".repeat(70_000))))
                .expect(413, null).named("new patient: a body over 64 KiB"));
        rows.add(request("GET", PATIENTS).as(Caller.PARENT).header("Accept", "application/xml").expect(406, "not-acceptable")
                .named("GET /api/v1/patients: Accept application/xml"));
        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            rows.add(request(method, PATIENTS).as(Caller.PARENT).json(Json.render(PATIENT)).expect(405, "method-not-allowed")
                    .named(method + " " + PATIENTS));
        }
        rows.add(request("PUT", PATIENTS + "/{patient}").as(Caller.PARENT).json(Json.with(PATIENT, "name", quote("Renamed")))
                .expect(405, "method-not-allowed").named("PUT /api/v1/patients/{id}: profiles cannot be rewritten"));
        return rows;
    }

    private static HostileRequest.Builder patient(String body) {
        return request("POST", PATIENTS).as(Caller.NEW_PARENT).json(body);
    }
}
