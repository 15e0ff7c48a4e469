package io.firstvisit.security;

import io.restassured.response.Response;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** The shape every refusal in this package must have: RFC 9457 problem+json naming the problem, nothing more. */
final class Problems {

    static final String TYPE_BASE = "https://firstvisit.dev/problems/";

    private Problems() {
    }

    static void assertProblem(Response response, int status, String code) {
        response.then()
                .statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo(TYPE_BASE + code))
                .body("status", equalTo(status))
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")));
    }
}
