package io.firstvisit.event;

import io.firstvisit.support.Api;
import io.firstvisit.support.PaymentNotifications;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.firstvisit.support.Api.book;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10 §6: the outbox feed is ordered, resumable, and never skips an event that committed late. */
@QuarkusTest
class EventFeedTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String FEED = "/api/v1/admin/events";

    @Inject
    Pool pool;

    @Test
    void everyChangeOfABookingIsAnEventInOrderAndTheFeedResumesFromItsCursor() {
        String start = drain(Tokens.scheduler("events-reader"), "");
        String slot = Api.openPaidSlot(1, 3000);
        String account = "events-" + slot;
        String booking = book(account, null, slot, Api.patient(account)).then().statusCode(201).extract().path("id");
        PaymentNotifications.pay(booking, "events-" + UUID.randomUUID(), 3000).then().statusCode(200);
        given().auth().oauth2(Tokens.patient(account)).delete("/api/v1/bookings/" + booking).then().statusCode(200);

        // Read in pages of one, as an integration would, resuming each time from the answer's cursor.
        List<JsonPath> seen = new ArrayList<>();
        String cursor = start;
        Set<String> ids = new HashSet<>();
        // Any transaction open anywhere on the server (another test, a background job) holds newer events
        // back until it ends: an empty page means "not yet", so keep reading until this booking's three are in.
        for (int page = 0; page < 500 && seen.size() < 3; page++) {
            JsonPath answer = given().auth().oauth2(Tokens.sign("his", "integration")).queryParam("after", cursor).queryParam("limit", 1)
                    .get(FEED).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> events = answer.getList("events");
            if (events.isEmpty()) {
                assertEquals(cursor, answer.getString("next"), "nothing new: the same cursor");
                continue;
            }
            assertEquals(1, events.size());
            assertTrue(ids.add(answer.getString("events[0].id")), "each event once");
            assertEquals(answer.getString("events[0].cursor"), answer.getString("next"));
            cursor = answer.getString("next");
            if (booking.equals(answer.getString("events[0].bookingId"))) {
                seen.add(answer);
            }
        }
        assertEquals(List.of("booking.pending_payment", "booking.paid", "booking.cancelled"),
                seen.stream().map(e -> e.getString("events[0].type")).toList());
        JsonPath cancelled = seen.get(2);
        assertEquals("CANCELLED", cancelled.getString("events[0].data.status"));
        assertEquals(true, cancelled.getBoolean("events[0].data.refundDue"));
        assertEquals(3000, cancelled.getInt("events[0].data.fee"));
        assertEquals(account, cancelled.getString("events[0].data.accountId"));
    }

    @Test
    void anEventCommittedLateIsNotSkippedByAReaderThatWentPastLaterOnes() {
        String reader = Tokens.scheduler("events-late");
        String slot = Api.openSlot(2);
        String early = "events-early-" + slot;
        String earlyBooking = book(early, null, slot, Api.patient(early)).then().statusCode(201).extract().path("id");
        String cursor = drain(reader, "");

        // A change whose transaction began first but is still open ...
        SqlConnection connection = pool.getConnection().await().atMost(WAIT);
        try {
            Transaction open = connection.begin().await().atMost(WAIT);
            connection.preparedQuery("UPDATE booking SET status = 'CANCELLED', cancelled_at = now() WHERE id = $1")
                    .execute(Tuple.of(UUID.fromString(earlyBooking))).await().atMost(WAIT);
            // ... while a later one commits.
            String late = "events-late-" + slot;
            String lateBooking = book(late, null, slot, Api.patient(late)).then().statusCode(201).extract().path("id");

            JsonPath meanwhile = given().auth().oauth2(reader).queryParam("after", cursor).get(FEED).then().statusCode(200)
                    .extract().jsonPath();
            assertFalse(meanwhile.getList("events.bookingId").contains(lateBooking),
                    "the later event waits until every transaction that began before it has ended");
            cursor = meanwhile.getString("next");

            open.commit().await().atMost(WAIT);
            List<String> after = List.of();
            for (int read = 0; read < 500 && !after.contains(lateBooking); read++) { // other open transactions may hold both back a while
                after = given().auth().oauth2(reader).queryParam("after", cursor).get(FEED).then().statusCode(200)
                        .extract().jsonPath().getList("events.bookingId");
            }
            assertTrue(after.indexOf(earlyBooking) >= 0, "the late-committed event is still ahead of the reader");
            assertTrue(after.indexOf(earlyBooking) < after.indexOf(lateBooking), "in transaction order: " + after);
        } finally {
            connection.close().await().atMost(WAIT);
        }
    }

    @Test
    void badCursorsAndLimitsAreRefusedAndParentsCannotRead() {
        String reader = Tokens.scheduler("events-bad");
        for (String after : List.of("x", "1-", "-1", "1-2-3", "99999999999999999999-1")) {
            given().auth().oauth2(reader).queryParam("after", after).get(FEED).then().statusCode(400)
                    .contentType("application/problem+json").body("type", endsWith("/invalid-request"));
        }
        for (String limit : List.of("0", "1001", "ten")) {
            given().auth().oauth2(reader).queryParam("limit", limit).get(FEED).then().statusCode(400);
        }
        given().auth().oauth2(Tokens.patient("events-parent")).get(FEED).then().statusCode(403);
        given().get(FEED).then().statusCode(401);
        String slot = Api.openSlot(1);
        book("events-one-" + slot, null, slot, Api.patient("events-one-" + slot)).then().statusCode(201);
        given().auth().oauth2(reader).queryParam("after", "0-0").queryParam("limit", 1).get(FEED).then().statusCode(200)
                .body("events.size()", equalTo(1));
    }

    /** Reads the feed to its end and returns the cursor there. */
    private static String drain(String token, String from) {
        String cursor = from;
        while (true) {
            JsonPath page = given().auth().oauth2(token).queryParam("after", cursor).queryParam("limit", 1000).get(FEED)
                    .then().statusCode(200).extract().jsonPath();
            cursor = page.getString("next");
            if (page.getList("events").size() < 1000) {
                return cursor;
            }
        }
    }
}
