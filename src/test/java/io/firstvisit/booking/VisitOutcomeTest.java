package io.firstvisit.booking;

import io.firstvisit.inventory.rebuild.InventoryReconciler;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.support.Api;
import io.firstvisit.support.Database;
import io.firstvisit.support.PaymentNotifications;
import io.firstvisit.support.TestClock;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.firstvisit.booking.BookingStatus.CANCELLED;
import static io.firstvisit.booking.BookingStatus.CHECKED_IN;
import static io.firstvisit.booking.BookingStatus.COMPLETED;
import static io.firstvisit.booking.BookingStatus.CONFIRMED;
import static io.firstvisit.booking.BookingStatus.EXPIRED;
import static io.firstvisit.booking.BookingStatus.NO_SHOW;
import static io.firstvisit.booking.BookingStatus.PENDING_PAYMENT;
import static io.firstvisit.support.Api.book;
import static io.firstvisit.support.Api.visit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10 §4: schedulers record check-in, completion and no-show. Only CONFIRMED→CHECKED_IN, CHECKED_IN→COMPLETED
 * and CONFIRMED→NO_SHOW (once the slot has started) apply; the same move again answers the booking unchanged;
 * everything else is 409 invalid-transition. Each applied move leaves one audit line and one event; the seat
 * stays used. Time is moved with {@link TestClock}, never waited for.
 */
@QuarkusTest
class VisitOutcomeTest {

    /** The account of {@link Api}'s scheduler token: it is the one the audit lines of outcomes name. */
    static final String SCHEDULER = "scheduler-tests";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int FEE = 5000;
    private static final Map<String, BookingStatus> TARGET = Map.of("check-in", CHECKED_IN, "complete", COMPLETED, "no-show", NO_SHOW);

    enum Expect { MOVES, UNCHANGED, REFUSED }

    record Row(BookingStatus from, String route, Expect expect) {
        BookingStatus requested() {
            return TARGET.get(route);
        }

        @Override
        public String toString() {
            return from + " + " + route + " -> " + expect;
        }
    }

    /** Every status a booking can be in, times every visit-outcome route, with the slot started. */
    static final List<Row> TABLE = List.of(
            new Row(CONFIRMED, "check-in", Expect.MOVES),
            new Row(CONFIRMED, "complete", Expect.REFUSED),
            new Row(CONFIRMED, "no-show", Expect.MOVES),
            new Row(CHECKED_IN, "check-in", Expect.UNCHANGED),
            new Row(CHECKED_IN, "complete", Expect.MOVES),
            new Row(CHECKED_IN, "no-show", Expect.REFUSED),
            new Row(COMPLETED, "check-in", Expect.REFUSED),
            new Row(COMPLETED, "complete", Expect.UNCHANGED),
            new Row(COMPLETED, "no-show", Expect.REFUSED),
            new Row(NO_SHOW, "check-in", Expect.REFUSED),
            new Row(NO_SHOW, "complete", Expect.REFUSED),
            new Row(NO_SHOW, "no-show", Expect.UNCHANGED),
            new Row(PENDING_PAYMENT, "check-in", Expect.REFUSED),
            new Row(PENDING_PAYMENT, "complete", Expect.REFUSED),
            new Row(PENDING_PAYMENT, "no-show", Expect.REFUSED),
            new Row(CANCELLED, "check-in", Expect.REFUSED),
            new Row(CANCELLED, "complete", Expect.REFUSED),
            new Row(CANCELLED, "no-show", Expect.REFUSED),
            new Row(EXPIRED, "check-in", Expect.REFUSED),
            new Row(EXPIRED, "complete", Expect.REFUSED),
            new Row(EXPIRED, "no-show", Expect.REFUSED));

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @Inject
    HoldExpirer expirer;

    @Inject
    InventoryReconciler reconciler;

    @Inject
    SlotDirectory slots;

    @Test
    void everyMoveFromEveryStatusIsAppliedRepeatedOrRefusedAsTheTableSays() {
        OffsetDateTime start = soon();
        String free = Api.slotStartingAt("BCH", "GROWTH", start, TABLE.size(), 0);
        String paid = Api.slotStartingAt("BCH", "GROWTH", start, TABLE.size(), FEE);
        List<String> accounts = TABLE.stream().map(row -> "outcome-table-" + UUID.randomUUID()).toList();
        List<String> patients = Api.patients(accounts);
        Map<Row, String> bookings = new HashMap<>();
        // EXPIRED first: the sweep that expires them expires every hold due, so the PENDING_PAYMENT ones come after it.
        forEachRow(EXPIRED, (row, i) -> bookings.put(row, booked(accounts.get(i), paid, patients.get(i))));
        expirer.expireDue(Instant.now().plus(Duration.ofMinutes(16))).await().atMost(WAIT);
        forEachRow(PENDING_PAYMENT, (row, i) -> bookings.put(row, booked(accounts.get(i), paid, patients.get(i))));
        for (BookingStatus status : List.of(CONFIRMED, CHECKED_IN, COMPLETED, NO_SHOW, CANCELLED)) {
            forEachRow(status, (row, i) -> bookings.put(row, booked(accounts.get(i), free, patients.get(i))));
        }
        forEachRow(CANCELLED, (row, i) -> Api.cancel(accounts.get(i), bookings.get(row)));
        // Check-in needs no started slot: patients arrive early.
        for (BookingStatus status : List.of(CHECKED_IN, COMPLETED)) {
            forEachRow(status, (row, i) -> visit(bookings.get(row), "check-in").then().statusCode(200));
        }
        forEachRow(COMPLETED, (row, i) -> visit(bookings.get(row), "complete").then().statusCode(200));

        clock.moveTo(start.plusMinutes(1));
        try {
            forEachRow(NO_SHOW, (row, i) -> visit(bookings.get(row), "no-show").then().statusCode(200));
            TABLE.forEach(row -> assertEquals(row.from().name(), Api.booking(bookings.get(row)).getString("status"), "set-up of " + row));

            assertAll(TABLE.stream().map(row -> (Executable) () -> check(row, bookings.get(row))));
        } finally {
            clock.reset();
        }
        // BookingStatus.holdsSeat() and PostgreSQL's generated column `active` are one definition: they agree on all seven.
        assertAll(TABLE.stream().map(row -> (Executable) () -> {
            String id = bookings.get(row);
            BookingStatus status = BookingStatus.valueOf(Api.booking(id).getString("status"));
            assertEquals(status.holdsSeat(), Database.active(pool, id), "active of a " + status + " booking");
        }));
    }

    private void check(Row row, String bookingId) {
        Map<String, Object> before = Api.booking(bookingId).getMap("$");
        List<String> eventsBefore = Database.eventTypes(pool, bookingId);
        List<String> auditBefore = Database.auditLines(pool, bookingId);

        Response answer = visit(bookingId, row.route());

        switch (row.expect()) {
            case MOVES -> {
                answer.then().statusCode(200).body("status", equalTo(row.requested().name()));
                List<String> events = new ArrayList<>(eventsBefore);
                events.add("booking." + row.requested().name().toLowerCase());
                assertEquals(events, Database.eventTypes(pool, bookingId), "one event for " + row);
                List<String> audit = new ArrayList<>(auditBefore);
                audit.add(row.requested() + " by " + SCHEDULER);
                assertEquals(audit, Database.auditLines(pool, bookingId), "one audit line for " + row);
            }
            case UNCHANGED -> {
                answer.then().statusCode(200);
                assertEquals(before, answer.jsonPath().getMap("$"), "a repeat answers the booking as it is: " + row);
                assertUntouched(row, bookingId, before, eventsBefore, auditBefore);
            }
            case REFUSED -> {
                answer.then().statusCode(409)
                        .contentType(startsWith("application/problem+json"))
                        .body("type", endsWith("/invalid-transition"))
                        .body("detail", containsString(row.from().name()))
                        .body("detail", containsString(row.requested().name()))
                        .body("currentStatus", equalTo(row.from().name()))
                        .body("requestedStatus", equalTo(row.requested().name()));
                assertUntouched(row, bookingId, before, eventsBefore, auditBefore);
            }
        }
    }

    private void assertUntouched(Row row, String bookingId, Map<String, Object> before, List<String> events, List<String> audit) {
        assertEquals(before, Api.booking(bookingId).getMap("$"), "booking unchanged by " + row);
        assertEquals(events, Database.eventTypes(pool, bookingId), "no event for " + row);
        assertEquals(audit, Database.auditLines(pool, bookingId), "no audit line for " + row);
    }

    @Test
    void noShowOnlyOnceTheSlotHasStartedAndTheSeatStaysUsed() {
        OffsetDateTime start = soon();
        String slot = Api.slotStartingAt("CCMC", "GROWTH", start, 2, 0);
        String account = "no-show-" + slot;
        String booking = booked(account, slot, Api.patient(account));

        visit(booking, "no-show").then().statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("type", endsWith("/invalid-transition"))
                .body("detail", containsString("only once the slot has started"))
                .body("currentStatus", equalTo("CONFIRMED"))
                .body("requestedStatus", equalTo("NO_SHOW"));
        assertEquals("CONFIRMED", Api.booking(booking).getString("status"));
        assertEquals(List.of("booking.confirmed"), Database.eventTypes(pool, booking));

        clock.moveTo(start.plusMinutes(1));
        try {
            String noShowAt = visit(booking, "no-show").then().statusCode(200)
                    .body("status", equalTo("NO_SHOW")).extract().path("noShowAt");
            assertTrue(OffsetDateTime.parse(noShowAt).isAfter(start), "recorded at the service's (moved) now: " + noShowAt);
            visit(booking, "no-show").then().statusCode(200).body("status", equalTo("NO_SHOW")).body("noShowAt", equalTo(noShowAt));

            // The family cannot undo it, and it is not "too late to cancel" but a recorded visit.
            given().auth().oauth2(Tokens.patient(account)).delete("/api/v1/bookings/" + booking).then().statusCode(409)
                    .body("type", endsWith("/invalid-transition")).body("currentStatus", equalTo("NO_SHOW"));
            given().auth().oauth2(Tokens.patient(account)).get("/api/v1/bookings/" + booking).then().statusCode(200)
                    .body("status", equalTo("NO_SHOW")).body("noShowAt", equalTo(noShowAt));
        } finally {
            clock.reset();
        }
        assertEquals(List.of("booking.confirmed", "booking.no_show"), Database.eventTypes(pool, booking));
        assertEquals(List.of("BOOKED by " + account, "NO_SHOW by " + SCHEDULER), Database.auditLines(pool, booking));
        assertEquals(1, Api.slotCounts(slot).getInt("remaining"), "the no-show's seat is not offered again");
        assertEquals(1, Api.slotCounts(slot).getLong("confirmed"));
        assertEquals(0, reconciler.reconcile(slots.find(UUID.fromString(slot)).await().atMost(WAIT).day()).await().atMost(WAIT).total(),
                "the reconciler agrees: a no-show still holds its seat");
    }

    @Test
    void aBookingWaitingForItsPaymentIsCheckedInOnlyOncePaid() {
        String slot = Api.openPaidSlot(2, FEE);
        String account = "check-in-unpaid-" + slot;
        String booking = booked(account, slot, Api.patient(account));

        visit(booking, "check-in").then().statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("type", endsWith("/invalid-transition"))
                .body("detail", containsString("PENDING_PAYMENT (not paid yet)"))
                .body("detail", containsString("CHECKED_IN"));
        assertEquals("PENDING_PAYMENT", Api.booking(booking).getString("status"));

        PaymentNotifications.pay(booking, "visit-" + UUID.randomUUID(), FEE).then().statusCode(200);
        visit(booking, "check-in").then().statusCode(200).body("status", equalTo("CHECKED_IN")).body("paidAt", notNullValue());
        // A second payment for a booking already past CONFIRMED is a duplicate to refund, not a late one.
        PaymentNotifications.pay(booking, "visit-again-" + UUID.randomUUID(), FEE).then().statusCode(409)
                .body("type", endsWith("/already-paid")).body("refundDue", equalTo(true));
        assertEquals(List.of("booking.pending_payment", "booking.paid", "booking.checked_in", "payment.refused"),
                Database.eventTypes(pool, booking));
        assertEquals("CHECKED_IN", Api.booking(booking).getString("status"));
    }

    @Test
    void theParentSeesEachOutcomeTheTrailAndTheOutboxRecordItAndNothingCancelsIt() {
        String slot = Api.openSlot(3);
        String account = "outcome-parent-" + slot;
        String parent = Tokens.patient(account);
        String booking = booked(account, slot, Api.patient(account));

        visit(booking, "check-in").then().statusCode(200);
        String checkedInAt = given().auth().oauth2(parent).get("/api/v1/bookings/" + booking).then().statusCode(200)
                .body("status", equalTo("CHECKED_IN")).extract().path("checkedInAt");
        // Before the slot starts a CONFIRMED booking could be cancelled; a checked-in one cannot.
        given().auth().oauth2(parent).delete("/api/v1/bookings/" + booking).then().statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("type", endsWith("/invalid-transition"))
                .body("detail", containsString("CHECKED_IN"))
                .body("requestedStatus", equalTo("CANCELLED"));
        assertEquals(2, Api.slotCounts(slot).getInt("remaining"), "the seat was not returned");

        visit(booking, "complete").then().statusCode(200);
        given().auth().oauth2(parent).get("/api/v1/bookings/" + booking).then().statusCode(200)
                .body("status", equalTo("COMPLETED")).body("checkedInAt", equalTo(checkedInAt)).body("completedAt", notNullValue());
        given().auth().oauth2(parent).get("/api/v1/bookings").then().statusCode(200)
                .body("find { it.id == '" + booking + "' }.status", equalTo("COMPLETED"));
        given().auth().oauth2(parent).delete("/api/v1/bookings/" + booking).then().statusCode(409)
                .body("type", endsWith("/invalid-transition")).body("currentStatus", equalTo("COMPLETED"));

        assertEquals(List.of("booking.confirmed", "booking.checked_in", "booking.completed"), Database.eventTypes(pool, booking));
        assertEquals(List.of("BOOKED by " + account, "CHECKED_IN by " + SCHEDULER, "COMPLETED by " + SCHEDULER),
                Database.auditLines(pool, booking));
        given().auth().oauth2(Api.schedulerToken()).get("/api/v1/admin/bookings/" + booking + "/history").then().statusCode(200)
                .body("action", org.hamcrest.Matchers.contains("BOOKED", "CHECKED_IN", "COMPLETED"))
                .body("[1].accountId", equalTo(SCHEDULER));
        // What the feed hands out as the event's data (EventFeedTest covers its order and cursors).
        JsonPath completed = JsonPath.from(Database.eventPayload(pool, booking, "booking.completed"));
        assertEquals("COMPLETED", completed.getString("status"));
        assertEquals(account, completed.getString("accountId"));
        assertTrue(completed.getString("checkedInAt") != null && completed.getString("completedAt") != null,
                "the event carries the outcome's times: " + completed.prettify());
        assertEquals(2, Api.slotCounts(slot).getInt("remaining"));
        assertEquals(1, Api.slotCounts(slot).getLong("confirmed"), "a completed visit still counts against the slot");
    }

    @Test
    void anUnknownOrMalformedBookingIsNotFoundOnEveryRoute() {
        for (String route : TARGET.keySet()) {
            for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid")) {
                visit(id, route).then().statusCode(404)
                        .contentType(startsWith("application/problem+json"))
                        .body("type", endsWith("/booking-not-found"));
            }
        }
    }

    /** A slot start a few minutes ahead: bookable now, and past once the clock is moved by minutes. */
    static OffsetDateTime soon() {
        return OffsetDateTime.now(Api.BEIJING).plusMinutes(5).truncatedTo(ChronoUnit.MINUTES);
    }

    static String booked(String account, String slot, String patient) {
        return book(account, null, slot, patient).then().statusCode(201).extract().path("id");
    }

    private interface RowAction {
        void apply(Row row, int index);
    }

    private static void forEachRow(BookingStatus from, RowAction action) {
        for (int i = 0; i < TABLE.size(); i++) {
            if (TABLE.get(i).from() == from) {
                action.apply(TABLE.get(i), i);
            }
        }
    }
}
