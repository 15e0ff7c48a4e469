package io.firstvisit.badinput;

import io.firstvisit.support.Api;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 §5: a 201's Location is relative, whatever Host the client sent; it used to copy the Host header, so a
 * request with {@code Host: evil.example} was told its booking lives on evil.example.
 */
@QuarkusTest
class LocationHeaderTest {

    @Test
    void createdAnswersPointHereWhateverTheHostHeaderSays() {
        String account = "location-" + UUID.randomUUID();
        List<RawHttp.Header> headers = List.of(new RawHttp.Header("Host", "evil.example"),
                new RawHttp.Header("Authorization", "Bearer " + Tokens.patient(account)),
                new RawHttp.Header("Content-Type", "application/json"));
        RawHttp.Reply patient = RawHttp.send("POST", "/api/v1/patients", headers,
                "{\"name\":\"Child\",\"birthDate\":\"2021-02-03\",\"sex\":\"MALE\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, patient.status(), patient.toString());
        assertTrue(patient.header("Location").startsWith("/api/v1/patients/"), patient.header("Location"));

        String slot = Api.openSlot(2);
        String patientId = patient.text().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
        RawHttp.Reply booking = RawHttp.send("POST", "/api/v1/bookings", headers,
                ("{\"slotId\":\"" + slot + "\",\"patientId\":\"" + patientId + "\"}").getBytes(StandardCharsets.UTF_8));
        assertEquals(201, booking.status(), booking.toString());
        assertTrue(booking.header("Location").startsWith("/api/v1/bookings/"), booking.header("Location"));
    }
}
