package io.firstvisit.badinput;

import io.firstvisit.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hundreds of malformed and hostile requests against every v1 route. Each must be refused with a 4xx
 * (never a 5xx), as problem+json naming the problem and, for 400, the field; nothing may show the
 * server's insides; and nothing on the booking path may take a place: the fixture slot keeps all its
 * places after every row and after the whole table.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileRequestTest {

    private static Fixture fixture;

    static Stream<HostileRequest> rows() {
        List<HostileRequest> rows = new ArrayList<>();
        rows.addAll(PublicCases.all());
        rows.addAll(SchedulerCases.all());
        rows.addAll(PatientCases.all());
        rows.addAll(BookingCases.all());
        rows.addAll(WaitlistCases.all());
        rows.addAll(IdCases.all());
        return rows.stream();
    }

    @Test
    @Order(0)
    void theTableIsLargeAndEveryRowHasItsOwnName() {
        List<String> names = rows().map(HostileRequest::name).toList();
        assertTrue(names.size() >= 300, "at least 300 rows, found " + names.size());
        assertEquals(names.size(), names.stream().distinct().count(), "duplicate row names: " + names.stream()
                .filter(n -> names.indexOf(n) != names.lastIndexOf(n)).distinct().collect(Collectors.joining(", ")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rows")
    @Order(1)
    void refusedCleanly(HostileRequest row) {
        Fixture world = fixture();
        List<RawHttp.Header> headers = new ArrayList<>();
        String token = world.token(row.caller());
        if (token != null) {
            headers.add(new RawHttp.Header("Authorization", "Bearer " + token));
        }
        if (row.contentType() != null) {
            headers.add(new RawHttp.Header("Content-Type", row.contentType()));
        }
        row.headers().forEach(h -> headers.add(new RawHttp.Header(h.name(), world.resolve(h.value()))));
        String target = world.resolve(row.target());
        byte[] body = row.bodyBytes(world);

        RawHttp.Reply reply = RawHttp.send(row.method(), target, headers, body);

        try {
            Refusal.assertClean(row, describe(row.method(), target, headers, body), reply);
            BadInputRecord.add(row, reply, true);
        } catch (AssertionError refusedBadly) {
            BadInputRecord.add(row, reply, false);
            throw refusedBadly;
        }
        if (row.bookingPath()) {
            assertFixtureSlotUntouched(world, "after: " + row.name());
        }
    }

    @Test
    @Order(2)
    void afterTheWholeTableTheSlotStillHasAllItsPlaces() {
        Fixture world = fixture();
        try {
            assertFixtureSlotUntouched(world, "after the whole table");
            BadInputRecord.write(true);
        } catch (AssertionError changed) {
            BadInputRecord.write(false);
            throw changed;
        }
        given().auth().oauth2(world.parentToken).get("/api/v1/bookings")
                .then().statusCode(200).body("size()", equalTo(0));
    }

    private static void assertFixtureSlotUntouched(Fixture world, String when) {
        JsonPath counts = Api.slotCounts(world.slotId);
        assertEquals(Fixture.CAPACITY, counts.getInt("remaining"), "remaining places of the fixture slot " + when);
        assertEquals(0, counts.getLong("confirmed"), "confirmed bookings of the fixture slot " + when);
    }

    private static String describe(String method, String target, List<RawHttp.Header> headers, byte[] body) {
        StringBuilder text = new StringBuilder(method).append(' ').append(RawHttp.abbreviate(target)).append('\n');
        headers.forEach(h -> text.append(h.name()).append(": ")
                .append(h.name().equals("Authorization") ? "Bearer …" : RawHttp.abbreviate(escape(h.value()))).append('\n'));
        if (body != null) {
            text.append('\n').append(RawHttp.abbreviate(escape(new String(body, StandardCharsets.UTF_8))));
        }
        return text.toString();
    }

    /** Control characters shown as escapes, so a failure message shows what was really sent. */
    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static synchronized Fixture fixture() {
        if (fixture == null) {
            fixture = Fixture.create();
        }
        return fixture;
    }
}
