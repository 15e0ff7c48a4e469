package io.firstvisit.waitlist;

import io.firstvisit.booking.HoldExpirer;
import io.firstvisit.inventory.DepartmentDay;
import io.firstvisit.inventory.Inventory;
import io.firstvisit.inventory.InventoryKeys;
import io.firstvisit.inventory.rebuild.InventoryRebuilder;
import io.firstvisit.inventory.rebuild.InventoryReconciler;
import io.firstvisit.support.Api;
import io.firstvisit.support.Database;
import io.firstvisit.support.PaymentNotifications;
import io.firstvisit.support.Surge;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 §2 and I12: a returned place goes to the first waiting entry of its department-day before open booking,
 * against real Redis and PostgreSQL. Offers are made in the background right after a seat is parked; the tests wait
 * for them (bounded) and then compare what Redis and PostgreSQL hold.
 */
@QuarkusTest
class WaitlistTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int FEE = 6600;

    @Inject
    HoldExpirer expirer;

    @Inject
    WaitlistOfferer offerer;

    @Inject
    InventoryKeys keys;

    @Inject
    InventoryReconciler reconciler;

    @Inject
    InventoryRebuilder rebuilder;

    @Inject
    Inventory inventory;

    @Inject
    RedisAPI redis;

    @Inject
    Pool pool;

    /**
     * Days of this class, beyond Api.freshDate()'s range: a waitlist needs the whole department-day sold out, so no other
     * test may publish open DERMATOLOGY slots on it. PostgreSQL starts empty; Redis may still hold the day from an
     * earlier run (only some tests flush it), so its keys go first.
     */
    private static final AtomicInteger DAYS_AHEAD = new AtomicInteger(655);

    private LocalDate waitlistDate() {
        LocalDate date = LocalDate.now(Api.BEIJING).plusDays(DAYS_AHEAD.getAndIncrement());
        DepartmentDay day = new DepartmentDay("BCH", "DERMATOLOGY", date);
        List<String> stale = new ArrayList<>();
        redis.keys(keys.warm(day).replace(":warm", ":*")).await().atMost(WAIT).forEach(k -> stale.add(k.toString()));
        if (!stale.isEmpty()) {
            redis.del(stale).await().atMost(WAIT);
        }
        return date;
    }

    /** One sold-out department-day: its slot, date and the bookings that fill it (account, booking id). */
    record Day(String slot, LocalDate date, List<String[]> holders) {
        DepartmentDay id() {
            return new DepartmentDay("BCH", "DERMATOLOGY", date);
        }
    }

    private Day soldOutDay(String tag, int capacity, int fee) {
        LocalDate date = waitlistDate();
        String slot = Api.slots(Api.doctor("BCH", "DERMATOLOGY", true), date, OffsetDateTime.now(Api.BEIJING).minusMinutes(1), 1,
                capacity, fee).get(0);
        List<String[]> holders = new ArrayList<>();
        for (int i = 0; i < capacity; i++) {
            String account = "wl-" + tag + "-holder-" + i + "-" + slot;
            String booking = Api.book(account, null, slot, Api.patient(account)).then().statusCode(201).extract().path("id");
            holders.add(new String[] {account, booking});
        }
        return new Day(slot, date, holders);
    }

    private static Response join(String account, String patient, LocalDate date) {
        return given().auth().oauth2(Tokens.patient(account)).contentType(ContentType.JSON)
                .body(Map.of("hospital", "BCH", "department", "DERMATOLOGY", "date", date.toString(), "patientId", patient))
                .post("/api/v1/waitlist");
    }

    private static JsonPath entry(String account, String entryId) {
        return given().auth().oauth2(Tokens.patient(account)).get("/api/v1/waitlist/" + entryId)
                .then().statusCode(200).extract().jsonPath();
    }

    /** A new account and patient that joins the day's waitlist; {account, patient, entry id}. */
    private String[] waiter(String tag, Day day) {
        String account = "wl-" + tag + "-" + UUID.randomUUID();
        String patient = Api.patient(account);
        String entry = join(account, patient, day.date()).then().statusCode(201).extract().path("id");
        return new String[] {account, patient, entry};
    }

    @Test
    void joinIsRefusedWhilePlacesAreFreeAndAcceptedOnceTheDayIsFull() {
        LocalDate date = waitlistDate();
        String slot = Api.slots(Api.doctor("BCH", "DERMATOLOGY", true), date, OffsetDateTime.now(Api.BEIJING).minusMinutes(1), 1, 2).get(0);
        String first = "wl-join-1-" + slot;
        String firstPatient = Api.patient(first);
        Api.book(first, null, slot, firstPatient).then().statusCode(201);

        String late = "wl-join-2-" + slot;
        String latePatient = Api.patient(late);
        join(late, latePatient, date).then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/places-available")).body("slotId", equalTo(slot));

        String other = "wl-join-3-" + slot;
        Api.book(other, null, slot, Api.patient(other)).then().statusCode(201);
        JsonPath joined = join(late, latePatient, date).then().statusCode(201).extract().jsonPath();
        assertEquals("WAITING", joined.getString("state"));
        assertEquals(1, joined.getInt("position"));
        assertEquals(date.toString(), joined.getString("date"));

        // Asking again answers the same entry; a patient booked that day cannot wait for it too.
        join(late, latePatient, date).then().statusCode(200).body("id", equalTo(joined.getString("id"))).body("position", equalTo(1));
        join(first, firstPatient, date).then().statusCode(409).body("type", endsWith("/already-booked"));
        String second = waiter("join", new Day(slot, date, List.of()))[2];
        assertNotNull(second);

        // The account's list; another account's entry does not exist for the caller.
        given().auth().oauth2(Tokens.patient(late)).get("/api/v1/waitlist").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].id", equalTo(joined.getString("id")));
        given().auth().oauth2(Tokens.patient(first)).get("/api/v1/waitlist/" + joined.getString("id")).then().statusCode(404)
                .body("type", endsWith("/waitlist-entry-not-found"));
        given().auth().oauth2(Tokens.patient(first)).delete("/api/v1/waitlist/" + joined.getString("id")).then().statusCode(404);
    }

    @Test
    void aCancelledPlaceIsOfferedToTheFirstEntryNotToTheCrowdAndAcceptedOnAFreeSlot() {
        Day day = soldOutDay("free", 1, 0);
        String[] b = waiter("free-b", day);
        String[] c = waiter("free-c", day);
        assertEquals(2, entry(c[0], c[2]).getInt("position"));

        Api.cancel(day.holders().get(0)[0], day.holders().get(0)[1]);
        eventually(() -> "OFFERED".equals(entry(b[0], b[2]).getString("state")), "the first entry is offered the place");

        // The place is held for b: the crowd does not see it, and cannot take it.
        assertEquals(0, Api.slotCounts(day.slot()).getInt("remaining"));
        String crowd = "wl-free-crowd-" + day.slot();
        Api.book(crowd, null, day.slot(), Api.patient(crowd)).then().statusCode(409).body("type", endsWith("/sold-out"));

        JsonPath offered = entry(b[0], b[2]);
        String booking = offered.getString("bookingId");
        assertNotNull(offered.getString("offerExpiresAt"));
        JsonPath held = given().auth().oauth2(Tokens.patient(b[0])).get("/api/v1/bookings/" + booking).then().statusCode(200)
                .body("status", equalTo("OFFERED")).body("waitlistEntryId", equalTo(b[2])).extract().jsonPath();
        Instant expires = OffsetDateTime.parse(held.getString("offerExpiresAt")).toInstant();
        assertTrue(expires.isAfter(Instant.now().plus(Duration.ofMinutes(9))) && expires.isBefore(Instant.now().plus(Duration.ofMinutes(11))),
                "the offer window (10 min) " + expires);
        assertEquals(1, entry(c[0], c[2]).getInt("position"), "c moved up");

        // Another account cannot accept it; b can, once (again answers the same).
        given().auth().oauth2(Tokens.patient(c[0])).post("/api/v1/bookings/" + booking + "/accept").then().statusCode(404);
        given().auth().oauth2(Tokens.patient(b[0])).post("/api/v1/bookings/" + booking + "/accept").then().statusCode(200)
                .body("status", equalTo("CONFIRMED"));
        given().auth().oauth2(Tokens.patient(b[0])).post("/api/v1/bookings/" + booking + "/accept").then().statusCode(200)
                .body("status", equalTo("CONFIRMED"));
        assertEquals("ACCEPTED", entry(b[0], b[2]).getString("state"));
        assertEquals(List.of("booking.offered", "booking.accepted"), Database.eventTypes(pool, booking));
        assertTrue(Database.eventPayload(pool, booking, "booking.offered").contains("\"waitlistEntryId\": \"" + b[2] + "\""));
        assertEquals(1, Database.activeBookings(pool, day.slot()));

        // A booking that is not an offer cannot be accepted.
        String[] holder = day.holders().get(0);
        given().auth().oauth2(Tokens.patient(holder[0])).post("/api/v1/bookings/" + holder[1] + "/accept").then().statusCode(409)
                .body("type", endsWith("/invalid-transition"));
    }

    @Test
    void anOfferOnAPaidSlotIsAPaymentHoldAcceptedByPaying() {
        Day day = soldOutDay("paid", 1, FEE);
        String[] b = waiter("paid-b", day);
        Api.cancel(day.holders().get(0)[0], day.holders().get(0)[1]);
        eventually(() -> "OFFERED".equals(entry(b[0], b[2]).getString("state")), "the entry is offered the paid place");

        String booking = entry(b[0], b[2]).getString("bookingId");
        given().auth().oauth2(Tokens.patient(b[0])).get("/api/v1/bookings/" + booking).then().statusCode(200)
                .body("status", equalTo("PENDING_PAYMENT")).body("fee", equalTo(FEE));
        given().auth().oauth2(Tokens.patient(b[0])).post("/api/v1/bookings/" + booking + "/accept").then().statusCode(409)
                .body("type", endsWith("/payment-required"));
        PaymentNotifications.pay(booking, "wl-pay-" + booking, FEE).then().statusCode(200);
        assertEquals("CONFIRMED", Api.booking(booking).getString("status"));
        assertEquals("ACCEPTED", entry(b[0], b[2]).getString("state"));
        assertEquals(List.of("booking.offered", "booking.paid"), Database.eventTypes(pool, booking));
    }

    @Test
    void leavingTheWaitlistAndAnEmptyWaitlistGiveThePlaceBackToOpenBooking() {
        Day day = soldOutDay("leave", 2, 0);
        String[] b = waiter("leave-b", day);
        given().auth().oauth2(Tokens.patient(b[0])).delete("/api/v1/waitlist/" + b[2]).then().statusCode(200)
                .body("state", equalTo("LEFT"));
        given().auth().oauth2(Tokens.patient(b[0])).delete("/api/v1/waitlist/" + b[2]).then().statusCode(200)
                .body("state", equalTo("LEFT"));
        assertNull(entry(b[0], b[2]).get("position"));

        // Nobody waits: a cancelled place is open to everyone at once.
        Api.cancel(day.holders().get(0)[0], day.holders().get(0)[1]);
        assertEquals(1, Api.slotCounts(day.slot()).getInt("remaining"));

        // A stale waiting id in Redis (an entry that stopped waiting, Redis not told) parks the next returned place for a
        // moment; the offerer finds nobody waiting in PostgreSQL and gives it back to open booking.
        DepartmentDay id = day.id();
        redis.sadd(List.of(keys.waiting(id), UUID.randomUUID().toString())).await().atMost(WAIT);
        Api.cancel(day.holders().get(1)[0], day.holders().get(1)[1]);
        eventually(() -> Api.slotCounts(day.slot()).getInt("remaining") == 2, "both places back in open booking");
        assertEquals(0, llen(keys.parked(id)));
        assertEquals(0, redis.scard(keys.waiting(id)).await().atMost(WAIT).toInteger());
    }

    @Test
    void decliningOrLettingAnOfferExpirePassesThePlaceToTheNextEntry() {
        Day day = soldOutDay("pass", 1, 0);
        String[] b = waiter("pass-b", day);
        String[] c = waiter("pass-c", day);
        String[] d = waiter("pass-d", day);
        Api.cancel(day.holders().get(0)[0], day.holders().get(0)[1]);
        eventually(() -> "OFFERED".equals(entry(b[0], b[2]).getString("state")), "b is offered the place");
        given().auth().oauth2(Tokens.patient(b[0])).delete("/api/v1/waitlist/" + b[2]).then().statusCode(409)
                .body("type", endsWith("/offer-pending"));

        // b declines by cancelling the offered booking: c is next.
        String declined = entry(b[0], b[2]).getString("bookingId");
        Api.cancel(b[0], declined);
        eventually(() -> "OFFERED".equals(entry(c[0], c[2]).getString("state")), "c is offered the place");
        assertEquals("CANCELLED", entry(b[0], b[2]).getString("state"));
        given().auth().oauth2(Tokens.patient(b[0])).post("/api/v1/bookings/" + declined + "/accept").then().statusCode(409)
                .body("type", endsWith("/invalid-transition"));

        // c lets it expire: d is next, and c can no longer accept.
        String lapsed = entry(c[0], c[2]).getString("bookingId");
        expirer.expireDue(Instant.now().plus(Duration.ofMinutes(11))).await().atMost(WAIT);
        eventually(() -> "OFFERED".equals(entry(d[0], d[2]).getString("state")), "d is offered the place");
        assertEquals("EXPIRED", entry(c[0], c[2]).getString("state"));
        given().auth().oauth2(Tokens.patient(c[0])).post("/api/v1/bookings/" + lapsed + "/accept").then().statusCode(409)
                .body("type", endsWith("/offer-expired"));
        assertEquals(List.of("booking.offered", "booking.expired"), Database.eventTypes(pool, lapsed));
        assertEquals(1, Database.activeBookings(pool, day.slot()));
    }

    @Test
    void anEntryWhosePatientTheSlotsRuleRefusesIsClosedAndThePlacePassesOn() {
        Day day = soldOutDay("rule", 1, 0);
        // b's child was seen in DERMATOLOGY days before: a FIRST slot refuses them (first-visit-unseen-only, I11).
        String bAccount = "wl-rule-b-" + day.slot();
        String bPatient = Api.patient(bAccount);
        String seen = Api.slots(Api.doctor("BCH", "DERMATOLOGY", true), day.date().minusDays(1),
                OffsetDateTime.now(Api.BEIJING).minusMinutes(1), 1, 1).get(0);
        String visit = Api.book(bAccount, null, seen, bPatient).then().statusCode(201).extract().path("id");
        Api.visit(visit, "check-in").then().statusCode(200);
        Api.visit(visit, "complete").then().statusCode(200);
        String bEntry = join(bAccount, bPatient, day.date()).then().statusCode(201).extract().path("id");
        String[] c = waiter("rule-c", day);

        Api.cancel(day.holders().get(0)[0], day.holders().get(0)[1]);
        eventually(() -> "OFFERED".equals(entry(c[0], c[2]).getString("state")), "c is offered the place b cannot take");
        JsonPath closed = entry(bAccount, bEntry);
        assertEquals("CLOSED", closed.getString("state"));
        assertEquals("not-eligible", closed.getString("closedReason"));
        assertPlacesAccountedFor(day, 1);
    }

    @Test
    void aLostReleaseRepairedByTheReconcilerGoesToTheWaitlistAndParkedSeatsAreNeverLost() {
        Day day = soldOutDay("repair", 1, 0);
        String[] b = waiter("repair-b", day);
        DepartmentDay id = day.id();
        String[] holder = day.holders().get(0);

        // The holder's cancellation reached PostgreSQL, its release never reached Redis (and Redis forgot the waiting set).
        pool.preparedQuery("UPDATE booking SET status = 'CANCELLED', cancelled_at = now() WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(holder[1]))).await().atMost(WAIT);
        String patient = Api.booking(holder[1]).getString("patientId");
        redis.hdel(List.of(keys.reservations(id), holder[1])).await().atMost(WAIT);
        redis.hdel(List.of(keys.holders(id), patient)).await().atMost(WAIT);
        redis.del(List.of(keys.waiting(id))).await().atMost(WAIT);

        assertEquals(1, reconciler.reconcile(id).await().atMost(WAIT).returned(), "the leaked seat is found");
        assertEquals(1, redis.scard(keys.waiting(id)).await().atMost(WAIT).toInteger(), "b waits in Redis again");
        assertEquals(1, llen(keys.parked(id)), "the seat is parked for the waitlist, not freed");
        assertEquals(0, llen(keys.seats(id, UUID.fromString(day.slot()))));
        assertEquals(0, reconciler.reconcile(id).await().atMost(WAIT).total(), "a parked seat is not a leak");
        assertEquals(1, llen(keys.parked(id)), "and is not lost");

        offerer.offerAll(id).await().atMost(WAIT);
        eventually(() -> "OFFERED".equals(entry(b[0], b[2]).getString("state")), "b is offered the repaired place");
        assertPlacesAccountedFor(day, 1);
    }

    @Test
    void aPlaceBackBetweenAJoinsCheckAndItsEntryReachingRedisIsParkedWithIt() {
        Day day = soldOutDay("race", 2, 0);
        DepartmentDay id = day.id();
        UUID slot = UUID.fromString(day.slot());
        Api.cancel(day.holders().get(0)[0], day.holders().get(0)[1]); // nobody waits yet: back in the free list
        assertEquals(1, llen(keys.seats(id, slot)));

        // An entry reaching Redis now (its join saw the day full a moment ago) takes the free seat out of the crowd's reach.
        UUID entry = UUID.randomUUID();
        assertTrue(inventory.startWaiting(id, entry, List.of(slot)).await().atMost(WAIT));
        assertEquals(0, llen(keys.seats(id, slot)));
        // This entry was never committed (no row): the offerer treats it as stale and the seat goes back to open booking.
        eventually(() -> llen(keys.seats(id, slot)) == 1, "the seat is unparked");
        assertEquals(0, llen(keys.parked(id)));
        assertEquals(0, redis.scard(keys.waiting(id)).await().atMost(WAIT).toInteger());
    }

    @Test
    void aParkedSeatPostgresAlreadyHoldsIsDroppedNeverOfferedTwice() {
        Day day = soldOutDay("drift", 1, 0);
        String[] b = waiter("drift-b", day);
        DepartmentDay id = day.id();
        // Redis drifted: it parks seat 1, which the holder's booking still holds in PostgreSQL.
        redis.rpush(List.of(keys.parked(id), day.slot() + " 1")).await().atMost(WAIT);

        offerer.offerAll(id).await().atMost(WAIT);
        assertEquals(0, llen(keys.parked(id)), "the seat is dropped");
        assertEquals("WAITING", entry(b[0], b[2]).getString("state"), "b still waits for a real place");
        assertEquals(0, count("SELECT count(*) FROM booking WHERE waitlist_entry_id IS NOT NULL AND slot_id = $1", day.slot()));
        assertPlacesAccountedFor(day, 1);

        // The real place comes back: b gets it.
        Api.cancel(day.holders().get(0)[0], day.holders().get(0)[1]);
        eventually(() -> "OFFERED".equals(entry(b[0], b[2]).getString("state")), "b is offered the returned place");
        assertPlacesAccountedFor(day, 1);
    }

    @Test
    void redisLosingTheDayKeepsItsReturnedPlaceForTheWaitlist() {
        Day day = soldOutDay("lost", 1, 0);
        String[] b = waiter("lost-b", day);
        DepartmentDay id = day.id();

        // Redis loses the day (I4), then the holder cancels: PostgreSQL frees the seat, Redis has nowhere to park it.
        List<String> dayKeys = new ArrayList<>();
        redis.keys(keys.warm(id).replace(":warm", ":*")).await().atMost(WAIT).forEach(k -> dayKeys.add(k.toString()));
        redis.del(dayKeys).await().atMost(WAIT);
        String[] holder = day.holders().get(0);
        Api.cancel(holder[0], holder[1]);

        // The rebuild from PostgreSQL parks the free seat for b (the crowd never gets it) and b is offered it.
        rebuilder.rebuild(id).await().atMost(WAIT);
        String crowd = "wl-lost-crowd-" + day.slot();
        Api.book(crowd, "wl-lost-" + day.slot(), day.slot(), Api.patient(crowd)).then().statusCode(409).body("type", endsWith("/sold-out"));
        eventually(() -> "OFFERED".equals(entry(b[0], b[2]).getString("state")), "b is offered the place after the rebuild");
        assertPlacesAccountedFor(day, 1);
    }

    /**
     * Issue 11 §3 "Waitlist order": 50 waiting entries, 10 places returned at once: the first 10 entries are offered
     * them, in order; offers that expire pass to the next entries; no place is offered to two entries and none is lost.
     */
    @Test
    void waitlistOrder() {
        int places = 10;
        Day day = soldOutDay("order", places, 0);
        DepartmentDay id = day.id();
        List<String[]> waiting = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiting.add(waiter("order-" + i, day)); // one after the other: their order is the queue's
        }
        assertEquals(50, entry(waiting.get(49)[0], waiting.get(49)[2]).getInt("position"));

        // The 10 places come back concurrently.
        List<Surge.Attempt> cancels = day.holders().stream()
                .map(h -> new Surge.Attempt(Tokens.patient(h[0]), "DELETE", "/api/v1/bookings/" + h[1], null, Map.of()))
                .toList();
        assertTrue(Surge.fire(cancels).stream().allMatch(r -> r.status() == 200));
        eventually(() -> offeredEntries(id).size() == places, "10 offers");
        assertEquals(seqOf(waiting.subList(0, 10)), offeredEntries(id), "the first 10 entries, in the order they joined");
        assertPlacesAccountedFor(day, places);
        assertEquals(0, Api.slotCounts(day.slot()).getInt("remaining"), "no place reached the crowd");

        // The 10 offers expire: the next 10 entries are offered the places.
        expirer.expireDue(Instant.now().plus(Duration.ofMinutes(11))).await().atMost(WAIT);
        eventually(() -> offeredEntries(id).size() == 2 * places, "20 offers");
        assertEquals(seqOf(waiting.subList(0, 20)), offeredEntries(id));
        for (String[] w : waiting.subList(0, 10)) {
            assertEquals("EXPIRED", entry(w[0], w[2]).getString("state"));
        }
        assertPlacesAccountedFor(day, places);

        // Half of them accept; the other half expire and pass on to entries 21..25.
        for (String[] w : waiting.subList(10, 15)) {
            given().auth().oauth2(Tokens.patient(w[0])).post("/api/v1/bookings/" + entry(w[0], w[2]).getString("bookingId") + "/accept")
                    .then().statusCode(200).body("status", equalTo("CONFIRMED"));
        }
        expirer.expireDue(Instant.now().plus(Duration.ofMinutes(11))).await().atMost(WAIT);
        eventually(() -> offeredEntries(id).size() == 25, "25 offers");
        assertEquals(seqOf(waiting.subList(0, 25)), offeredEntries(id));
        assertEquals(1, entry(waiting.get(25)[0], waiting.get(25)[2]).getInt("position"));
        assertPlacesAccountedFor(day, places);
        assertEquals(25, count("SELECT count(*) FROM booking WHERE waitlist_entry_id IS NOT NULL AND slot_id = $1", day.slot()),
                "one offer per offered entry, never two");
    }

    /** Every seat is held once: by an active booking in PostgreSQL, and in Redis by a reservation; none free or parked. */
    private void assertPlacesAccountedFor(Day day, int places) {
        DepartmentDay id = day.id();
        assertEquals(places, Database.activeBookings(pool, day.slot()), "PostgreSQL: active bookings = capacity");
        assertEquals(places, Database.distinctActiveSeats(pool, day.slot()), "each seat held once");
        assertEquals(0, llen(keys.seats(id, UUID.fromString(day.slot()))), "Redis: no free seat");
        assertEquals(0, llen(keys.parked(id)), "Redis: no seat left parked");
        int reserved = 0;
        for (var value : redis.hvals(keys.reservations(id)).await().atMost(WAIT)) {
            if (value.toString().startsWith(day.slot() + " ")) {
                reserved++;
            }
        }
        assertEquals(places, reserved, "Redis: one reservation per seat");
    }

    /** Entry ids in the order their offers were made. */
    private List<String> offeredEntries(DepartmentDay day) {
        return pool.preparedQuery("""
                        SELECT w.id FROM waitlist_entry w JOIN booking b ON b.waitlist_entry_id = w.id
                         WHERE w.visit_date = $1 ORDER BY b.created_at, w.seq
                        """)
                .execute(Tuple.of(day.date()))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getUUID(0).toString());
                    }
                    return ids;
                })
                .await().atMost(WAIT);
    }

    private static List<String> seqOf(List<String[]> waiters) {
        return waiters.stream().map(w -> w[2]).toList();
    }

    private long count(String sql, String slot) {
        return pool.preparedQuery(sql).execute(Tuple.of(UUID.fromString(slot))).map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(WAIT);
    }

    private int llen(String key) {
        return redis.llen(key).await().atMost(WAIT).toInteger();
    }

    /** Offers are made in the background: waits for {@code condition}, at most {@link #WAIT}. */
    private static void eventually(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
