package io.firstvisit.badinput;

import io.firstvisit.badinput.HostileRequest.Caller;

import java.util.ArrayList;
import java.util.List;

import static io.firstvisit.badinput.HostileRequest.request;

/**
 * Hostile ids on every route that takes one: in the path (where {@code ../} and encoded slashes meet the
 * router) and in the {@code patientId} query. An id that is not one of the caller's objects must be
 * the route's own 404, whatever it is made of; a request line the HTTP layer cannot read is its 400 or 414.
 */
final class IdCases {

    /** How a hostile id is refused when it sits in a path segment or in a query value. */
    enum Outcome {
        /** the route's own not-found problem */
        ROUTE_404,
        /** a 404 problem: the router may not reach the route at all */
        ANY_404,
        /** the HTTP layer refuses the request line */
        HTTP_400,
        /** the request line is longer than the server reads */
        URI_TOO_LONG
    }

    record HostileId(String label, String raw, Outcome inPath, Outcome inQuery) {
    }

    /** A route that takes an id: {@code prefix + id + suffix}. */
    record IdRoute(String method, String prefix, String suffix, boolean inQuery, Caller caller, String notFound, String otherKindOfId) {
    }

    static final List<HostileId> IDS = List.of(
            new HostileId("a word", "not-a-uuid", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("the nil UUID", "00000000-0000-0000-0000-000000000000", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("an unknown UUID", "{unknown}", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("an unknown upper-case UUID", "{UNKNOWN}", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("a UUID without dashes", "{unknownNoDashes}", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("a UUID in braces", "%7B{unknown}%7D", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("a UUID with a trailing space", "{unknown}%20", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("a UUID with a leading space", "%20{unknown}", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("a UUID and a NUL", "{unknown}%00", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("a UUID and an encoded CRLF header", "{unknown}%0D%0AX-Injected:%201", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("a UUID one character too long", "{unknown}0", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("SQL: ' OR '1'='1", "{unknown}'%20OR%20'1'='1", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("SQL: ;DROP TABLE", "1;DROP%20TABLE%20booking", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("SQL: UNION SELECT", "x'%20UNION%20SELECT%20id%20FROM%20patient--", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("Lua: string break-out", "x'..redis.call('FLUSHALL')..'", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("Lua: closing the KEYS table", "%22%5D)%20redis.call('FLUSHALL')%20--", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("a Redis glob", "*", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("traversal with encoded slashes", "..%2F..%2Fhospitals", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("traversal fully encoded", "%2e%2e%2f%2e%2e%2fhospitals", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("traversal double-encoded", "%252e%252e%252fhospitals", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("an encoded dot-dot segment", "%2e%2e", Outcome.ANY_404, Outcome.ROUTE_404),
            new HostileId("an encoded slash", "%2F", Outcome.ANY_404, Outcome.ROUTE_404),
            new HostileId("Tomcat-style ..;/ traversal", "..;%2F..;%2Fadmin", Outcome.ANY_404, Outcome.ROUTE_404),
            new HostileId("an emoji", "%F0%9F%98%80", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("invalid UTF-8", "%C3%28", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("a negative number", "-1", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("a 20-digit number", "99999999999999999999", Outcome.ROUTE_404, Outcome.ROUTE_404),
            new HostileId("a broken percent escape", "%ZZ", Outcome.HTTP_400, Outcome.HTTP_400),
            new HostileId("5000 characters", "A".repeat(5000), Outcome.URI_TOO_LONG, Outcome.URI_TOO_LONG));

    static final List<IdRoute> ROUTES = List.of(
            new IdRoute("GET", "/api/v1/admin/doctors/", "", false, Caller.SCHEDULER, "doctor-not-found", "{slot}"),
            new IdRoute("GET", "/api/v1/admin/slots/", "", false, Caller.SCHEDULER, "slot-not-found", "{doctor}"),
            new IdRoute("GET", "/api/v1/admin/bookings/", "/history", false, Caller.SCHEDULER, "booking-not-found", "{slot}"),
            new IdRoute("GET", "/api/v1/admin/bookings/", "", false, Caller.SCHEDULER, "booking-not-found", "{slot}"),
            new IdRoute("POST", "/api/v1/admin/bookings/", "/check-in", false, Caller.SCHEDULER, "booking-not-found", "{slot}"),
            new IdRoute("GET", "/api/v1/admin/webhooks/", "/deliveries", false, Caller.SCHEDULER, "webhook-not-found", "{slot}"),
            new IdRoute("DELETE", "/api/v1/admin/webhooks/", "", false, Caller.SCHEDULER, "webhook-not-found", "{slot}"),
            new IdRoute("GET", "/api/v1/patients/", "", false, Caller.PARENT, "patient-not-found", "{slot}"),
            new IdRoute("GET", "/api/v1/bookings/", "", false, Caller.PARENT, "booking-not-found", "{patient}"),
            new IdRoute("DELETE", "/api/v1/bookings/", "", false, Caller.PARENT, "booking-not-found", "{slot}"),
            new IdRoute("GET", "/api/v1/bookings?patientId=", "", true, Caller.PARENT, "patient-not-found", "{slot}"),
            new IdRoute("GET", "/api/v1/queue/tickets/", "", false, Caller.PARENT, "ticket-not-found", "{slot}"),
            new IdRoute("POST", "/api/v1/bookings/", "/accept", false, Caller.PARENT, "booking-not-found", "{slot}"),
            new IdRoute("GET", "/api/v1/waitlist/", "", false, Caller.PARENT, "waitlist-entry-not-found", "{patient}"),
            new IdRoute("DELETE", "/api/v1/waitlist/", "", false, Caller.PARENT, "waitlist-entry-not-found", "{slot}"));

    private IdCases() {
    }

    static List<HostileRequest> all() {
        List<HostileRequest> rows = new ArrayList<>();
        for (IdRoute route : ROUTES) {
            String where = route.method() + " " + route.prefix() + (route.inQuery() ? "" : "{id}") + route.suffix();
            for (HostileId id : IDS) {
                rows.add(row(route, id.raw(), route.inQuery() ? id.inQuery() : id.inPath())
                        .named(where + ": " + id.label()));
            }
            rows.add(row(route, route.otherKindOfId(), Outcome.ROUTE_404).named(where + ": the id of another kind of object"));
        }
        return rows;
    }

    private static HostileRequest.Builder row(IdRoute route, String raw, Outcome outcome) {
        HostileRequest.Builder row = request(route.method(), route.prefix() + raw + route.suffix()).as(route.caller());
        if (route.method().equals("DELETE")) {
            row.onBookingPath();
        }
        return switch (outcome) {
            case ROUTE_404 -> row.expect(404, route.notFound());
            case ANY_404 -> row.expectHttpLayer(404);
            case HTTP_400 -> row.expectHttpLayer(400);
            case URI_TOO_LONG -> row.expectHttpLayer(414);
        };
    }
}
