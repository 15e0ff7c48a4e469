package io.firstvisit.security;

import io.firstvisit.support.Api;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A valid token without the route's role is refused with 403 problem+json and never acts. The wrong
 * tokens carry the parent's own account as {@code sub}: if the role check were missing, the ownership
 * check would let them through, so a 403 here can only come from the role check.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoleTest {

    /** What exists before the refused calls: one parent with a confirmed booking in a slot. */
    record World(String parent, String doctorId, String slotId, String patientId, String bookingId) {
    }

    record Route(String name, BiFunction<RequestSpecification, World, Response> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    record WrongToken(String name, Function<String, String> mint) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final int CAPACITY = 4;
    private static World world;

    static Stream<Arguments> adminRoutesRefuseNonSchedulers() {
        List<WrongToken> tokens = List.of(
                new WrongToken("patient token", Tokens::patient),
                new WrongToken("token without groups", HostileTokens::withoutGroups),
                new WrongToken("group 'Scheduler' (case differs)", account -> HostileTokens.withGroups(account, "Scheduler")),
                new WrongToken("group 'admin'", account -> HostileTokens.withGroups(account, "admin")));
        List<Route> routes = List.of(
                new Route("POST /api/v1/admin/doctors", (request, w) -> request.contentType(ContentType.JSON)
                        .body(Map.of("hospital", "BCH", "department", "GROWTH", "name", "Dr. Not Allowed", "title", "Attending",
                                "firstVisitQualified", true))
                        .post("/api/v1/admin/doctors")),
                new Route("GET /api/v1/admin/doctors/{id}", (request, w) -> request.get("/api/v1/admin/doctors/" + w.doctorId())),
                new Route("POST /api/v1/admin/slots", (request, w) -> request.contentType(ContentType.JSON)
                        .body(publishOneSlot(w.doctorId())).post("/api/v1/admin/slots")),
                new Route("GET /api/v1/admin/slots/{id}", (request, w) -> request.get("/api/v1/admin/slots/" + w.slotId())),
                new Route("GET /api/v1/admin/bookings/{id}", (request, w) -> request.get("/api/v1/admin/bookings/" + w.bookingId())),
                new Route("POST /api/v1/admin/bookings/{id}/check-in", (request, w) -> request.post("/api/v1/admin/bookings/" + w.bookingId() + "/check-in")),
                new Route("POST /api/v1/admin/bookings/{id}/complete", (request, w) -> request.post("/api/v1/admin/bookings/" + w.bookingId() + "/complete")),
                new Route("POST /api/v1/admin/bookings/{id}/no-show", (request, w) -> request.post("/api/v1/admin/bookings/" + w.bookingId() + "/no-show")),
                new Route("GET /api/v1/admin/events", (request, w) -> request.get("/api/v1/admin/events")),
                new Route("GET /api/v1/admin/webhooks", (request, w) -> request.get("/api/v1/admin/webhooks")),
                new Route("POST /api/v1/admin/slots/{id}/cancel", (request, w) -> request.contentType(ContentType.JSON)
                        .body(Map.of("reason", "not allowed")).post("/api/v1/admin/slots/" + w.slotId() + "/cancel")),
                new Route("POST /api/v1/admin/doctors/{id}/cancel-day", (request, w) -> request.contentType(ContentType.JSON)
                        .body(Map.of("date", "2030-01-01", "reason", "not allowed")).post("/api/v1/admin/doctors/" + w.doctorId() + "/cancel-day")),
                new Route("POST /api/v1/admin/webhooks", (request, w) -> request.contentType(ContentType.JSON)
                        .body(Map.of("url", "http://127.0.0.1:9/x", "events", List.of("booking.confirmed"),
                                "secret", "role-test-secret-0123456789abcdefgh")).post("/api/v1/admin/webhooks")));
        return tokens.stream().flatMap(t -> routes.stream().map(r -> Arguments.of(t, r)));
    }

    static Stream<Arguments> patientRoutesRefuseNonPatients() {
        List<WrongToken> tokens = List.of(
                new WrongToken("scheduler token", Tokens::scheduler),
                new WrongToken("token without groups", HostileTokens::withoutGroups),
                new WrongToken("group 'Patient' (case differs)", account -> HostileTokens.withGroups(account, "Patient")),
                new WrongToken("group 'admin'", account -> HostileTokens.withGroups(account, "admin")));
        List<Route> routes = List.of(
                new Route("POST /api/v1/patients", (request, w) -> request.contentType(ContentType.JSON)
                        .body(Map.of("name", "Second Child", "birthDate", "2020-03-04", "sex", "MALE")).post("/api/v1/patients")),
                new Route("GET /api/v1/patients", (request, w) -> request.get("/api/v1/patients")),
                new Route("GET /api/v1/patients/{id}", (request, w) -> request.get("/api/v1/patients/" + w.patientId())),
                new Route("POST /api/v1/bookings", (request, w) -> request.contentType(ContentType.JSON)
                        .body(Map.of("slotId", w.slotId(), "patientId", w.patientId())).post("/api/v1/bookings")),
                new Route("GET /api/v1/bookings", (request, w) -> request.get("/api/v1/bookings")),
                new Route("GET /api/v1/bookings?patientId=", (request, w) -> request.queryParam("patientId", w.patientId()).get("/api/v1/bookings")),
                new Route("GET /api/v1/bookings/{id}", (request, w) -> request.get("/api/v1/bookings/" + w.bookingId())),
                new Route("DELETE /api/v1/bookings/{id}", (request, w) -> request.delete("/api/v1/bookings/" + w.bookingId())),
                new Route("POST /api/v1/bookings/{id}/accept", (request, w) -> request.post("/api/v1/bookings/" + w.bookingId() + "/accept")),
                new Route("POST /api/v1/waitlist", (request, w) -> request.contentType(ContentType.JSON)
                        .body(Map.of("hospital", "CCMC", "department", "DERMATOLOGY", "date", LocalDate.now(Api.BEIJING).plusDays(40).toString(),
                                "patientId", w.patientId())).post("/api/v1/waitlist")),
                new Route("GET /api/v1/waitlist", (request, w) -> request.get("/api/v1/waitlist")),
                new Route("GET /api/v1/waitlist/{id}", (request, w) -> request.get("/api/v1/waitlist/" + w.bookingId())),
                new Route("DELETE /api/v1/waitlist/{id}", (request, w) -> request.delete("/api/v1/waitlist/" + w.bookingId())));
        return tokens.stream().flatMap(t -> routes.stream().map(r -> Arguments.of(t, r)));
    }

    @ParameterizedTest(name = "{0} on {1} -> 403")
    @MethodSource
    @Order(1)
    void adminRoutesRefuseNonSchedulers(WrongToken token, Route route) {
        World w = world();

        Response response = route.call().apply(given().auth().oauth2(token.mint().apply(w.parent())), w);

        Problems.assertProblem(response, 403, "forbidden");
    }

    @ParameterizedTest(name = "{0} on {1} -> 403")
    @MethodSource
    @Order(2)
    void patientRoutesRefuseNonPatients(WrongToken token, Route route) {
        World w = world();

        Response response = route.call().apply(given().auth().oauth2(token.mint().apply(w.parent())), w);

        Problems.assertProblem(response, 403, "forbidden");
    }

    @Test
    @Order(3)
    void refusedCallsChangedNothing() {
        World w = world();
        String parent = Tokens.patient(w.parent());
        given().auth().oauth2(parent).get("/api/v1/bookings/" + w.bookingId())
                .then().statusCode(200).body("status", equalTo("CONFIRMED"));
        assertEquals(CAPACITY - 1, Api.slotCounts(w.slotId()).getInt("remaining"));
        assertEquals(1, Api.slotCounts(w.slotId()).getLong("confirmed"));
        given().auth().oauth2(parent).get("/api/v1/patients").then().statusCode(200).body("size()", equalTo(1));
    }

    private static Map<String, Object> publishOneSlot(String doctorId) {
        OffsetDateTime start = LocalDate.now(Api.BEIJING).plusDays(700).atTime(7, 0).atOffset(Api.BEIJING);
        return Map.of("doctorId", doctorId, "visitType", "FIRST", "releaseAt", start.minusDays(7).toString(),
                "slots", List.of(Map.of("start", start.toString(), "end", start.plusMinutes(15).toString(), "capacity", 3)));
    }

    private static synchronized World world() {
        if (world == null) {
            String parent = "role-parent-" + UUID.randomUUID();
            String doctor = Api.doctor("CCMC", "DERMATOLOGY", true);
            String slot = Api.slots(doctor, Api.freshDate(), OffsetDateTime.now(Api.BEIJING).minusMinutes(1), 1, CAPACITY).get(0);
            String patient = Api.patient(parent);
            String booking = given().auth().oauth2(Tokens.patient(parent)).contentType(ContentType.JSON)
                    .body(Map.of("slotId", slot, "patientId", patient)).post("/api/v1/bookings")
                    .then().statusCode(201).extract().path("id");
            world = new World(parent, doctor, slot, patient, booking);
        }
        return world;
    }
}
