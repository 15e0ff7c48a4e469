package io.firstvisit.badinput;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.firstvisit.badinput.HostileRequest.request;

/** The public routes: the hospital list and the availability query, whose parameters are all untrusted text. */
final class PublicCases {

    private static final String SLOTS = "/api/v1/slots?";
    private static final String VALID = "hospital=BCH&department=GROWTH&date={date}";

    /** Values that are not a hospital or department code, as they would appear in a query string. */
    private static final Map<String, String> NOT_A_CODE = HostileRequest.byLabel(
            "empty", "",
            "blank", "%20%20",
            "lower case", "bch",
            "with a trailing space", "BCH%20",
            "with a newline", "BCH%0A",
            "with a NUL", "BCH%00",
            "SQL ' OR '1'='1", "BCH'%20OR%20'1'%3D'1",
            "SQL comment", "BCH'--",
            "Lua string break-out", "BCH%22%5D)%20redis.call('FLUSHALL')%20--",
            "a Redis key separator", "BCH:GROWTH",
            "a glob", "*",
            "path traversal", "..%2F..%2Fetc%2Fpasswd",
            "33 characters", "A".repeat(33),
            "an emoji", "%F0%9F%8F%A5",
            "full-width letters", "%EF%BC%A2%EF%BC%A3%EF%BC%A8",
            "invalid UTF-8", "%C3%28");

    private static final Map<String, String> NOT_A_DATE = HostileRequest.byLabel(
            "February 30th", "2027-02-30",
            "February 29th of a common year", "2027-02-29",
            "month 13", "2027-13-01",
            "month 0", "2027-00-10",
            "unpadded", "2027-1-1",
            "without dashes", "20270101",
            "with slashes", "2027%2F01%2F01",
            "day first", "01-02-2027",
            "with a time", "{date}T00:00:00Z",
            "with an offset", "{date}T00:00:00%2B08:00",
            "a word", "tomorrow",
            "the smallest LocalDate", "-999999999-01-01",
            "the largest LocalDate", "%2B999999999-12-31",
            "before the window", "{dateTooOld}",
            "after the window", "{dateTooFar}",
            "blank", "%20",
            "with a NUL", "{date}%00",
            "full-width digits", "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%97-01-01",
            "SQL", "2027-01-01'%20OR%20'1'%3D'1");

    private PublicCases() {
    }

    static List<HostileRequest> all() {
        List<HostileRequest> rows = new ArrayList<>();
        rows.add(request("POST", "/api/v1/hospitals").json("{}").expect(405, "method-not-allowed")
                .named("POST /api/v1/hospitals"));
        rows.add(request("DELETE", "/api/v1/hospitals").expect(405, "method-not-allowed")
                .named("DELETE /api/v1/hospitals"));
        rows.add(request("GET", "/api/v1/hospitals").header("Accept", "application/xml").expect(406, "not-acceptable")
                .named("GET /api/v1/hospitals: Accept application/xml"));
        rows.add(request("GET", "/api/v1/hospitals/BCH").expect(404, "not-found")
                .named("GET /api/v1/hospitals/BCH: no such sub-resource"));
        rows.add(request("GET", "/api/v1/hospitals/../admin/doctors/{doctor}").expect(401, "unauthorized")
                .named("GET /api/v1/hospitals/../admin/doctors/{id}: traversal to an admin route without a token"));
        rows.add(request("GET", "/api/v1/hospitals/%2e%2e/admin/doctors/{doctor}").expectAny4xx()
                .named("GET /api/v1/hospitals/%2e%2e/admin/doctors/{id}: encoded traversal without a token"));

        rows.add(request("POST", SLOTS + VALID).json("{}").expect(405, "method-not-allowed").named("POST /api/v1/slots"));
        rows.add(slots("").expect(400, "invalid-request", "hospital").named("GET /api/v1/slots: no parameters"));
        rows.add(slots("department=GROWTH&date={date}").expect(400, "invalid-request", "hospital")
                .named("GET /api/v1/slots: no hospital"));
        rows.add(slots("hospital=BCH&date={date}").expect(400, "invalid-request", "department")
                .named("GET /api/v1/slots: no department"));
        rows.add(slots("hospital=BCH&department=GROWTH").expect(400, "invalid-request", "date")
                .named("GET /api/v1/slots: no date"));
        NOT_A_CODE.forEach((label, value) -> {
            rows.add(slots("hospital=" + value + "&department=GROWTH&date={date}").expect(400, "invalid-request", "hospital")
                    .named("GET /api/v1/slots: hospital " + label));
            rows.add(slots("hospital=BCH&department=" + value + "&date={date}").expect(400, "invalid-request", "department")
                    .named("GET /api/v1/slots: department " + label));
        });
        rows.add(slots("hospital=ZZZ&department=GROWTH&date={date}").expect(404, "department-not-found")
                .named("GET /api/v1/slots: unknown hospital"));
        rows.add(slots("hospital=BCH&department=CARDIOLOGY&date={date}").expect(404, "department-not-found")
                .named("GET /api/v1/slots: unknown department"));
        NOT_A_DATE.forEach((label, value) -> rows.add(slots("hospital=BCH&department=GROWTH&date=" + value)
                .expect(400, "invalid-request", "date").named("GET /api/v1/slots: date " + label)));
        for (String visitType : List.of("first", "SECOND", "FIRST%00", "FIRST'--", "0")) {
            rows.add(slots(VALID + "&visitType=" + visitType).expect(400, "invalid-request", "visitType")
                    .named("GET /api/v1/slots: visitType " + visitType));
        }
        rows.add(slots("hospital=%ZZ&department=GROWTH&date={date}").expectHttpLayer(400)
                .named("GET /api/v1/slots: a broken percent escape"));
        rows.add(slots("hospital=" + "B".repeat(9000) + "&department=GROWTH&date={date}").expectHttpLayer(414)
                .named("GET /api/v1/slots: a 9000-character hospital"));
        return rows;
    }

    private static HostileRequest.Builder slots(String query) {
        return request("GET", SLOTS + query);
    }
}
