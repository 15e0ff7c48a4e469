package io.firstvisit.booking;

import io.firstvisit.inventory.SoldOutCache;
import io.firstvisit.support.Api;
import io.firstvisit.support.Surge;
import io.firstvisit.support.Surge.Attempt;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.firstvisit.support.Api.book;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 3 admission control: sold-out fast path, cacheable availability, per-account rate limit. */
@QuarkusTest
class AdmissionControlTest {

    @Inject
    SoldOutCache soldOut;

    @Test
    void aFullSlotIsAnsweredFromThisInstanceAndReopensWhenAPlaceComesBack() {
        String slot = Api.openSlot(1);
        String first = "fast-a-" + slot;
        String booking = book(first, null, slot, Api.patient(first)).then().statusCode(201).extract().path("id");
        assertTrue(soldOut.isFull(UUID.fromString(slot)), "taking the last place marks the slot full here");
        String second = "fast-b-" + slot;
        String secondPatient = Api.patient(second);
        book(second, null, slot, secondPatient).then().statusCode(409).body("type", endsWith("/sold-out"));

        given().auth().oauth2(Tokens.patient(first)).delete("/api/v1/bookings/" + booking).then().statusCode(200);

        assertFalse(soldOut.isFull(UUID.fromString(slot)), "a returned place reopens the slot at once");
        book(second, null, slot, secondPatient).then().statusCode(201);
    }

    @Test
    void anAccountCannotCollectPlacesByRotatingItsPatients() {
        String doctor = Api.doctor("CCMC", "GROWTH", true);
        List<String> slots = Api.slots(doctor, Api.freshDate(), OffsetDateTime.now(Api.BEIJING).minusMinutes(1), 1, 20);
        String account = "rotate-" + doctor;
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            patients.add(Api.patient(account));
        }
        List<String> bookings = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            bookings.add(book(account, null, slots.get(0), patients.get(i)).then().statusCode(201).extract().path("id"));
        }

        book(account, null, slots.get(0), patients.get(3)).then().statusCode(409).body("type", endsWith("/account-limit"));
        assertEquals(17, Api.slotCounts(slots.get(0)).getInt("remaining"), "the refused attempt took nothing");

        given().auth().oauth2(Tokens.patient(account)).delete("/api/v1/bookings/" + bookings.get(0)).then().statusCode(200);
        book(account, null, slots.get(0), patients.get(3)).then().statusCode(201);
    }

    @Test
    void anAccountHoldsAtMostTenPatients() {
        String account = "family-" + UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            Api.patient(account);
        }
        given().auth().oauth2(Tokens.patient(account)).contentType("application/json")
                .body(java.util.Map.of("name", "Eleventh", "birthDate", "2020-01-01", "sex", "MALE"))
                .post("/api/v1/patients").then().statusCode(422).body("type", endsWith("/too-many-patients"));
    }

    @Test
    void aFullMarkExpiresOnItsOwn() throws InterruptedException {
        UUID slot = UUID.randomUUID();
        soldOut.markFull(slot);
        assertTrue(soldOut.isFull(slot));
        Thread.sleep(1100); // firstvisit.inventory.sold-out-ttl = 1s
        assertFalse(soldOut.isFull(slot), "never a false sold-out that lasts");
    }

    @Test
    void availabilityCarriesAnETagAndAnswers304WhenUnchanged() {
        String doctor = Api.doctor("BCH", "GROWTH", true);
        LocalDate date = Api.freshDate();
        Api.slots(doctor, date, OffsetDateTime.now(Api.BEIJING).minusMinutes(1), 2, 3);
        var first = given().queryParam("hospital", "BCH").queryParam("department", "GROWTH").queryParam("date", date.toString())
                .get("/api/v1/slots").then().statusCode(200)
                .header("ETag", notNullValue())
                .header("Cache-Control", equalTo("max-age=1"))
                .extract();
        String etag = first.header("ETag");

        given().header("If-None-Match", etag)
                .queryParam("hospital", "BCH").queryParam("department", "GROWTH").queryParam("date", date.toString())
                .get("/api/v1/slots").then().statusCode(304).header("ETag", equalTo(etag));
        given().header("If-None-Match", "W/\"something-else\"")
                .queryParam("hospital", "BCH").queryParam("department", "GROWTH").queryParam("date", date.toString())
                .get("/api/v1/slots").then().statusCode(200);
    }

    @Test
    void anAccountHammeringBookGets429WithRetryAfter() {
        String doctor = Api.doctor("CCMC", "DERMATOLOGY", true);
        List<String> slots = Api.slots(doctor, Api.freshDate(), OffsetDateTime.now(Api.BEIJING).minusMinutes(1), 1, 50);
        String account = "hammer-" + doctor;
        String token = Tokens.patient(account);
        String patient = Api.patient(account);
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            attempts.add(Attempt.book(token, slots.get(0), patient));
        }

        List<Surge.Result> results = Surge.fire(attempts);

        long limited = results.stream().filter(r -> r.status() == 429).count();
        assertTrue(limited >= 40 - 10 - 5, "burst of 10, then 5/s: most of 40 at once are refused, got " + limited);
        assertEquals(1, results.stream().filter(r -> r.status() == 201).count());
        var refused = given().auth().oauth2(token).contentType("application/json")
                .body(java.util.Map.of("slotId", slots.get(0), "patientId", patient)).post("/api/v1/bookings");
        for (int i = 0; i < 30 && refused.statusCode() != 429; i++) { // the bucket refills at 5/s meanwhile
            refused = given().auth().oauth2(token).contentType("application/json")
                    .body(java.util.Map.of("slotId", slots.get(0), "patientId", patient)).post("/api/v1/bookings");
        }
        refused.then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", endsWith("/rate-limited"))
                .header("Retry-After", notNullValue())
                .header("Retry-After", v -> Integer.parseInt(v), greaterThanOrEqualTo(1));
    }
}
