package io.firstvisit.booking;

import io.firstvisit.support.Api;
import io.firstvisit.support.Database;
import io.firstvisit.support.TestClock;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import static io.firstvisit.support.Api.book;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class BookingLifecycleTest {

    @Inject
    Pool pool;

    @Inject
    TestClock clock;

    @Test
    void notOpenBeforeReleaseAtThenOpenWithoutRestart() {
        OffsetDateTime releaseAt = OffsetDateTime.now(Api.BEIJING).plusHours(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String slot = Api.slots(Api.doctor("BCH", "GROWTH", true), Api.freshDate(), releaseAt, 1, 3).get(0);
        String account = "open-" + slot;
        String patient = Api.patient(account);

        book(account, null, slot, patient).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", endsWith("/not-open"))
                // As Jackson writes it: seconds always (toString() drops ":00" on a whole minute).
                .body("releaseAt", equalTo(releaseAt.format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
        assertEquals(3, Api.slotCounts(slot).getInt("remaining"), "a refused early tap takes nothing");

        clock.moveTo(releaseAt); // the release instant itself opens the slot
        try {
            book(account, null, slot, patient).then().statusCode(201).body("status", equalTo("CONFIRMED"));
        } finally {
            clock.reset();
        }
    }

    @Test
    void availabilityShowsStatusAndRemaining() {
        String doctor = Api.doctor("CCMC", "NUTRITION", true);
        LocalDate date = Api.freshDate();
        String upcoming = Api.slots(doctor, date, OffsetDateTime.now(Api.BEIJING).plusHours(1), 1, 2).get(0);
        List<String> open = Api.slots(Api.doctor("CCMC", "NUTRITION", true), date, OffsetDateTime.now(Api.BEIJING).minusMinutes(1), 2, 1);
        String account = "avail-" + doctor;
        book(account, null, open.get(0), Api.patient(account)).then().statusCode(201);

        given().queryParam("hospital", "CCMC").queryParam("department", "NUTRITION").queryParam("date", date.toString())
                .get("/api/v1/slots")
                .then().statusCode(200)
                .body("find { it.id == '" + upcoming + "' }.status", equalTo("UPCOMING"))
                .body("find { it.id == '" + upcoming + "' }.start", equalTo(date + "T08:00:00+08:00"))
                .body("find { it.id == '" + open.get(0) + "' }.status", equalTo("FULL"))
                .body("find { it.id == '" + open.get(0) + "' }.remaining", equalTo(0))
                .body("find { it.id == '" + open.get(1) + "' }.status", equalTo("OPEN"))
                .body("find { it.id == '" + open.get(1) + "' }.doctor.title", equalTo("Attending"));
    }

    @Test
    void cancelReturnsThePlaceToTheNextParentAndCancellingTwiceAnswersTheSame() {
        String slot = Api.openSlot(1);
        String first = "cancel-a-" + slot;
        String booking = book(first, null, slot, Api.patient(first)).then().statusCode(201).extract().path("id");
        String second = "cancel-b-" + slot;
        String secondPatient = Api.patient(second);
        book(second, null, slot, secondPatient).then().statusCode(409).body("type", endsWith("/sold-out"));

        String cancelledAt = given().auth().oauth2(Tokens.patient(first)).delete("/api/v1/bookings/" + booking)
                .then().statusCode(200).body("status", equalTo("CANCELLED")).extract().path("cancelledAt");
        assertEquals(1, Api.slotCounts(slot).getInt("remaining"), "the place is back at once");
        given().auth().oauth2(Tokens.patient(first)).delete("/api/v1/bookings/" + booking)
                .then().statusCode(200).body("status", equalTo("CANCELLED")).body("cancelledAt", equalTo(cancelledAt));
        assertEquals(1, Api.slotCounts(slot).getInt("remaining"), "cancelling twice returns the place once");

        book(second, null, slot, secondPatient).then().statusCode(201);
        assertEquals(1, Database.activeBookings(pool, slot));
        assertEquals(0, Api.slotCounts(slot).getInt("remaining"));
    }

    @Test
    void aCancelledPatientMayBookThatDayAgain() {
        String slot = Api.openSlot(3);
        String account = "rebook-" + slot;
        String patient = Api.patient(account);
        String booking = book(account, null, slot, patient).then().statusCode(201).extract().path("id");
        book(account, null, slot, patient).then().statusCode(409).body("type", endsWith("/already-booked"));
        given().auth().oauth2(Tokens.patient(account)).delete("/api/v1/bookings/" + booking).then().statusCode(200);

        book(account, null, slot, patient).then().statusCode(201);
    }

    @Test
    void patientOlderThanTheDepartmentAllowsIsNotEligible() {
        String slot = Api.openSlot(3);
        String account = "elig-" + slot;
        String adult = Api.patient(account, LocalDate.now(Api.BEIJING).minusYears(30));

        book(account, null, slot, adult).then().statusCode(422).body("type", endsWith("/not-eligible"));
        assertEquals(3, Api.slotCounts(slot).getInt("remaining"));
    }

    @Test
    void bookingsAreListedAndReadBackForTheirOwner() {
        String slot = Api.openSlot(3);
        String account = "list-" + slot;
        String patient = Api.patient(account);
        String booking = book(account, null, slot, patient).then().statusCode(201).extract().path("id");

        given().auth().oauth2(Tokens.patient(account)).get("/api/v1/bookings/" + booking)
                .then().statusCode(200).body("slotId", equalTo(slot)).body("hospital", equalTo("BCH"));
        given().auth().oauth2(Tokens.patient(account)).queryParam("patientId", patient).get("/api/v1/bookings")
                .then().statusCode(200).body("id", org.hamcrest.Matchers.contains(booking));
    }

    @Test
    void aDoctorCannotPublishTwoSlotsStartingAtTheSameInstant() {
        String doctor = Api.doctor("BCH", "GROWTH", true);
        LocalDate date = Api.freshDate();
        Api.slots(doctor, date, OffsetDateTime.now(Api.BEIJING).plusHours(1), 1, 2);
        given().auth().oauth2(Api.schedulerToken()).contentType("application/json")
                .body(java.util.Map.of("doctorId", doctor, "visitType", "FIRST",
                        "releaseAt", OffsetDateTime.now(Api.BEIJING).plusHours(1).toString(),
                        "slots", List.of(java.util.Map.of("start", date.atTime(8, 0).atOffset(Api.BEIJING).toString(),
                                "end", date.atTime(8, 30).atOffset(Api.BEIJING).toString(), "capacity", 5))))
                .post("/api/v1/admin/slots")
                .then().statusCode(409).body("type", endsWith("/slot-conflict"));
    }

    @Test
    void firstVisitSlotsNeedAQualifiedDoctor() {
        String doctor = Api.doctor("BCH", "GROWTH", false);
        given().auth().oauth2(Api.schedulerToken()).contentType("application/json")
                .body(java.util.Map.of("doctorId", doctor, "visitType", "FIRST",
                        "releaseAt", OffsetDateTime.now(Api.BEIJING).plusHours(1).toString(),
                        "slots", List.of(java.util.Map.of("start", OffsetDateTime.now(Api.BEIJING).plusDays(3).toString(),
                                "end", OffsetDateTime.now(Api.BEIJING).plusDays(3).plusMinutes(15).toString(), "capacity", 5))))
                .post("/api/v1/admin/slots")
                .then().statusCode(422).body("type", endsWith("/not-qualified"));
    }
}
