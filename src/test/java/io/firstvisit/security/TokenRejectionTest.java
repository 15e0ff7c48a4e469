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

import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
 * A request whose bearer token is missing, unreadable, expired, not yet valid, from another issuer or
 * key, unsigned or edited after signing is refused with 401 problem+json, on patient and admin routes
 * alike, and never acts: each token names the victim's account, and the victim's slot is untouched.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenRejectionTest {

    /** A Bearer token, or the whole Authorization header when it is not one. */
    record Credential(String name, Function<String, String> authorization) {
        @Override
        public String toString() {
            return name;
        }

        static Credential bearer(String name, Function<String, String> token) {
            return new Credential(name, account -> "Bearer " + token.apply(account));
        }
    }

    /** A route that would act for the victim if the credential were accepted. */
    record Route(String name, BiFunction<RequestSpecification, Victim, Response> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Victim(String account, String patientId, String slotId) {
    }

    private static Victim victim;

    static Stream<Arguments> refusedCredentials() {
        List<Credential> credentials = List.of(
                new Credential("no Authorization header", account -> null),
                new Credential("Bearer with no token", account -> "Bearer "),
                Credential.bearer("garbage", account -> HostileTokens.garbage()),
                new Credential("Basic credentials", account -> "Basic " + Base64.getEncoder()
                        .encodeToString((account + ":password").getBytes(StandardCharsets.UTF_8))),
                Credential.bearer("expired an hour ago", HostileTokens::expired),
                Credential.bearer("not valid for another hour (iat and nbf in the future)", HostileTokens::notYetValid),
                Credential.bearer("wrong issuer", HostileTokens::wrongIssuer),
                Credential.bearer("signed with another RSA key", HostileTokens::signedWithAnotherKey),
                Credential.bearer("alg none, empty signature", HostileTokens::unsigned),
                Credential.bearer("RS256 with the signature cut off", HostileTokens::signatureStripped),
                Credential.bearer("claims re-encoded to the victim's sub, signature kept", account -> HostileTokens.tampered("mallory-" + UUID.randomUUID(), account)),
                Credential.bearer("groups edited from patient to scheduler, signature kept", HostileTokens::escalated),
                Credential.bearer("no sub claim", account -> HostileTokens.withoutSubject()),
                Credential.bearer("valid for a century (longer than max-token-lifetime)", HostileTokens::centuryLong),
                Credential.bearer("sub with a NUL", HostileTokens::subjectWithNul),
                Credential.bearer("sub of more than 200 characters", HostileTokens::subjectTooLong),
                Credential.bearer("HS256 signed with the server's public key", HostileTokens::hmacWithThePublicKey));
        String someId = UUID.randomUUID().toString();
        List<Route> routes = List.of(
                new Route("GET /api/v1/patients", (request, v) -> request.get("/api/v1/patients")),
                new Route("POST /api/v1/patients", (request, v) -> request.contentType(ContentType.JSON)
                        .body(Map.of("name", "Intruder", "birthDate", "2022-01-01", "sex", "MALE")).post("/api/v1/patients")),
                new Route("GET /api/v1/patients/{id}", (request, v) -> request.get("/api/v1/patients/" + v.patientId())),
                new Route("GET /api/v1/bookings", (request, v) -> request.get("/api/v1/bookings")),
                new Route("GET /api/v1/bookings/{id}", (request, v) -> request.get("/api/v1/bookings/" + someId)),
                new Route("DELETE /api/v1/bookings/{id}", (request, v) -> request.delete("/api/v1/bookings/" + someId)),
                new Route("GET /api/v1/admin/doctors/{id}", (request, v) -> request.get("/api/v1/admin/doctors/" + someId)),
                new Route("POST /api/v1/admin/slots", (request, v) -> request.contentType(ContentType.JSON)
                        .body(Map.of("doctorId", someId, "visitType", "FIRST", "releaseAt", "2030-01-01T08:00:00+08:00",
                                "slots", List.of(Map.of("start", "2030-01-02T08:00:00+08:00", "end", "2030-01-02T08:15:00+08:00",
                                        "capacity", 3)))).post("/api/v1/admin/slots")),
                new Route("GET /api/v1/admin/bookings/{id}/history", (request, v) -> request.get("/api/v1/admin/bookings/" + someId + "/history")),
                new Route("POST /api/v1/bookings", (request, v) -> request.contentType(ContentType.JSON)
                        .body(Map.of("slotId", v.slotId(), "patientId", v.patientId())).post("/api/v1/bookings")),
                new Route("GET /api/v1/admin/slots/{id}", (request, v) -> request.get("/api/v1/admin/slots/" + v.slotId())),
                new Route("GET /api/v1/admin/bookings/{id}", (request, v) -> request.get("/api/v1/admin/bookings/" + someId)),
                new Route("POST /api/v1/admin/bookings/{id}/check-in", (request, v) -> request.post("/api/v1/admin/bookings/" + someId + "/check-in")),
                new Route("POST /api/v1/admin/bookings/{id}/complete", (request, v) -> request.post("/api/v1/admin/bookings/" + someId + "/complete")),
                new Route("POST /api/v1/admin/bookings/{id}/no-show", (request, v) -> request.post("/api/v1/admin/bookings/" + someId + "/no-show")),
                new Route("GET /api/v1/admin/events", (request, v) -> request.get("/api/v1/admin/events")),
                new Route("GET /api/v1/admin/webhooks", (request, v) -> request.get("/api/v1/admin/webhooks")),
                new Route("POST /api/v1/bookings/{id}/reschedule", (request, v) -> request.contentType(ContentType.JSON)
                        .body(Map.of("slotId", v.slotId())).post("/api/v1/bookings/" + someId + "/reschedule")),
                new Route("POST /api/v1/admin/slots/{id}/cancel", (request, v) -> request.contentType(ContentType.JSON)
                        .body(Map.of("reason", "x")).post("/api/v1/admin/slots/" + v.slotId() + "/cancel")),
                new Route("GET /api/v1/admin/webhooks/{id}/deliveries", (request, v) -> request.get("/api/v1/admin/webhooks/" + someId + "/deliveries")),
                new Route("POST /api/v1/admin/doctors", (request, v) -> request.contentType(ContentType.JSON)
                        .body(Map.of("hospital", "BCH", "department", "GROWTH", "name", "Dr. Intruder", "title", "Attending",
                                "firstVisitQualified", true)).post("/api/v1/admin/doctors")));
        return credentials.stream().flatMap(c -> routes.stream().map(r -> Arguments.of(c, r)));
    }

    @ParameterizedTest(name = "{0} on {1} -> 401")
    @MethodSource
    @Order(1)
    void refusedCredentials(Credential credential, Route route) {
        Victim v = victim();
        String authorization = credential.authorization().apply(v.account());
        RequestSpecification request = authorization == null ? given() : given().header("Authorization", authorization);

        Response response = route.call().apply(request, v);

        Problems.assertProblem(response, 401, "unauthorized");
        response.then().header("WWW-Authenticate", equalTo("Bearer"));
    }

    @Test
    @Order(2)
    void aBlankSubjectIsNoAccount() {
        Response response = given().auth().oauth2(HostileTokens.blankSubject()).get("/api/v1/patients");

        Problems.assertProblem(response, 401, "unauthorized");
    }

    /**
     * smallrye-jwt enforces {@code nbf} but not a future {@code iat}: a token minted to start in an hour
     * is accepted now unless the service checks it. Refusing it matches "not yet valid".
     */
    @Test
    @Order(3)
    void aTokenIssuedInTheFutureIsNotYetValid() {
        Victim v = victim();
        Response response = given().auth().oauth2(HostileTokens.issuedInTheFuture(v.account())).get("/api/v1/patients");

        Problems.assertProblem(response, 401, "unauthorized");
    }

    @Test
    @Order(4)
    void noRefusedCredentialBookedAnything() {
        Victim v = victim();
        assertEquals(3, Api.slotCounts(v.slotId()).getInt("remaining"), "the victim's slot keeps all its places");
        assertEquals(0, Api.slotCounts(v.slotId()).getLong("confirmed"));
        given().auth().oauth2(Tokens.patient(v.account())).get("/api/v1/bookings")
                .then().statusCode(200).body("size()", equalTo(0));
    }

    private static synchronized Victim victim() {
        if (victim == null) {
            String account = "token-victim-" + UUID.randomUUID();
            victim = new Victim(account, Api.patient(account), Api.openSlot(3));
        }
        return victim;
    }
}
