package io.firstvisit.schedule;

import io.firstvisit.support.Api;
import io.firstvisit.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

import static io.firstvisit.support.Api.book;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A started slot with places left is CLOSED in availability, and POST /bookings refuses it as closed: one
 * definition (SlotStatus), read by both, at the same (moved) now.
 */
@QuarkusTest
class ClosedSlotTest {

    @Inject
    TestClock clock;

    @Test
    void aStartedSlotWithPlacesIsListedClosedAndRefusedAsClosed() {
        OffsetDateTime start = OffsetDateTime.now(Api.BEIJING).plusMinutes(5).truncatedTo(ChronoUnit.MINUTES);
        String slot = Api.slotStartingAt("CCMC", "DERMATOLOGY", start, 3, 0);
        String account = "closed-" + slot;
        String patient = Api.patient(account);
        String date = start.toLocalDate().toString();
        String self = "find { it.id == '" + slot + "' }";

        availability(date).body(self + ".status", equalTo("OPEN")).body(self + ".remaining", equalTo(3));

        clock.moveTo(start.plusSeconds(1));
        try {
            availability(date).body(self + ".status", equalTo("CLOSED")).body(self + ".remaining", equalTo(3));
            book(account, null, slot, patient).then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", endsWith("/closed"));
        } finally {
            clock.reset();
        }
        assertEquals(3, Api.slotCounts(slot).getInt("remaining"), "the refused attempt took nothing");
        availability(date).body(self + ".status", equalTo("OPEN"));
    }

    private static io.restassured.response.ValidatableResponse availability(String date) {
        return given().queryParam("hospital", "CCMC").queryParam("department", "DERMATOLOGY").queryParam("date", date)
                .get("/api/v1/slots").then().statusCode(200);
    }
}
