package io.firstvisit.booking;

import io.firstvisit.inventory.Inventory;
import io.firstvisit.inventory.InventoryKeys;
import io.firstvisit.redis.LuaScript;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotView;
import io.firstvisit.support.Api;
import io.firstvisit.support.Database;
import io.firstvisit.support.Surge;
import io.firstvisit.support.Surge.Attempt;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.firstvisit.support.Api.book;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * I5: same Idempotency-Key + same account + same body gives one booking and, once booked, the same response;
 * a refusal keeps nothing, and no claim outlives its attempt (IdempotencyStore).
 */
@QuarkusTest
class IdempotencyTest {

    private static final LuaScript CLAIM = LuaScript.load("claim-key");
    private static final LuaScript SETTLE = LuaScript.load("settle-key");

    @Inject
    Pool pool;

    @Inject
    Inventory inventory;

    @Inject
    SlotDirectory slots;

    @Inject
    RedisAPI redis;

    @Inject
    InventoryKeys keys;

    @Test
    void retryAfterALostReserveAnswerGetsItsOwnSeatNotAlreadyBooked() {
        String slot = Api.openSlot(3);
        String account = "i5-lost-" + slot;
        String patient = Api.patient(account);
        String key = UUID.randomUUID().toString();
        SlotView view = slots.find(UUID.fromString(slot)).await().atMost(Duration.ofSeconds(10));
        // The first try's reserve.lua ran and took a seat, but its answer never reached the service (timeout).
        inventory.reserve(view.day(), view.id(), UUID.fromString(patient), BookingService.bookingId(account, key), account, 3, Instant.now())
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(2, Api.slotCounts(slot).getInt("remaining"));

        String id = book(account, key, slot, patient).then().statusCode(201).extract().path("id");

        assertEquals(BookingService.bookingId(account, key).toString(), id);
        assertEquals(2, Api.slotCounts(slot).getInt("remaining"), "the retry kept the same seat, not a second one");
        assertEquals(1, Database.activeBookings(pool, slot));
    }

    @Test
    void aClaimLeftByACrashedInstanceBlocksItsKeyOnlyUntilTheLeaseEnds() {
        String slot = Api.openSlot(3);
        String account = "i5-lease-" + slot;
        String patient = Api.patient(account);
        String key = UUID.randomUUID().toString();
        // An instance claimed the key and was killed before it answered or stored anything: its
        // in-flight claim is all that is left, and nobody will ever release it. (800 ms stands in for
        // the real lease, IdempotencyStore.IN_FLIGHT_LEASE.)
        String claim = keys.idempotency(account, IdempotencyStore.digest(key));
        claim(claim, slot + "|" + patient, "crashed/1", "800");

        // A retry sent while the lease runs waits for it (the in-flight wait is longer), then runs and books
        // under the booking id the key derives: neither refused for good nor booked twice.
        String id = book(account, key, slot, patient).then().statusCode(201).extract().path("id");
        assertEquals(BookingService.bookingId(account, key).toString(), id);
        book(account, key, slot, patient).then().statusCode(201).body("id", equalTo(id));
        assertEquals(1, Database.activeBookings(pool, slot));
        assertTrue(IdempotencyStore.IN_FLIGHT_LEASE.compareTo(Duration.ofSeconds(8)) > 0,
                "the lease outlasts a whole booking attempt (its deadline is 8 s), so a live first attempt keeps its key");
    }

    @Test
    void sequentialReplayReturnsTheSameBooking() {
        String slot = Api.openSlot(5);
        String account = "i5-seq-" + slot;
        String patient = Api.patient(account);
        String key = UUID.randomUUID().toString();

        JsonPath first = book(account, key, slot, patient).then().statusCode(201).extract().jsonPath();
        String location = book(account, key, slot, patient).then().statusCode(201)
                .body("id", equalTo(first.getString("id")))
                .body("createdAt", equalTo(first.getString("createdAt")))
                .extract().header("Location");

        assertEquals("/api/v1/bookings/" + first.getString("id"), java.net.URI.create(location).getPath());
        assertEquals(1, Database.activeBookings(pool, slot));
        assertEquals(4, Api.slotCounts(slot).getInt("remaining"));
    }

    @Test
    void concurrentRepeatsWhileTheFirstIsInFlightMakeOneBooking() {
        String slot = Api.openSlot(5);
        String account = "i5-conc-" + slot;
        String token = Tokens.patient(account);
        String patient = Api.patient(account);
        String key = UUID.randomUUID().toString();
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            attempts.add(Attempt.book(token, slot, patient).withHeader("Idempotency-Key", key));
        }

        List<Surge.Result> results = Surge.fire(attempts);

        assertEquals(Map.of(201, 100L), results.stream().collect(Collectors.groupingBy(Surge.Result::status, Collectors.counting())));
        Set<String> ids = results.stream().map(r -> JsonPath.from(r.body()).getString("id")).collect(Collectors.toSet());
        assertEquals(1, ids.size(), "every repeat names the same booking");
        assertEquals(1, Database.activeBookings(pool, slot));
        assertEquals(4, Api.slotCounts(slot).getInt("remaining"));
    }

    @Test
    void aRefusalKeepsNothingAndARetryWithTheSameKeyIsEvaluatedAgain() {
        String slot = Api.openSlot(1);
        String winner = "i5-winner-" + slot;
        String taken = book(winner, null, slot, Api.patient(winner)).then().statusCode(201).extract().path("id");
        String account = "i5-loser-" + slot;
        String patient = Api.patient(account);
        String key = UUID.randomUUID().toString();

        book(account, key, slot, patient).then().statusCode(409).body("type", endsWith("/sold-out"));
        assertEquals(0, redis.exists(List.of(keys.idempotency(account, IdempotencyStore.digest(key)))).await()
                .atMost(Duration.ofSeconds(5)).toInteger(), "a refusal changed nothing, so nothing is kept for its key");

        Api.cancel(winner, taken);
        String id = book(account, key, slot, patient).then().statusCode(201).extract().path("id");
        assertEquals(BookingService.bookingId(account, key).toString(), id);
        book(account, key, slot, patient).then().statusCode(201).body("id", equalTo(id));
        assertEquals(1, Database.activeBookings(pool, slot));
    }

    @Test
    void aLateClaimOfAnAttemptThatGaveUpCannotLockTheKey() {
        String slot = Api.openSlot(3);
        String account = "i5-late-" + slot;
        String patient = Api.patient(account);
        String key = UUID.randomUUID().toString();
        String record = keys.idempotency(account, IdempotencyStore.digest(key));
        String fingerprint = slot + "|" + patient;
        // The first attempt's claim timed out in a Redis stall; it answered 503 and fenced the key. Its
        // claim was still queued in Redis and runs now, after the fence.
        settle(record, "stalled/1", "FENCE", fingerprint);
        assertEquals("STALE", claim(record, fingerprint, "stalled/1", "30000"));

        // The parent's retry is not kept waiting for an attempt that no longer exists.
        String id = book(account, key, slot, patient).then().statusCode(201).extract().path("id");
        assertEquals(BookingService.bookingId(account, key).toString(), id);
        assertEquals(1, Database.activeBookings(pool, slot));
    }

    @Test
    void aFenceNeverEndsAnotherAttemptsClaim() {
        String record = keys.idempotency("i5-fence", UUID.randomUUID().toString());
        claim(record, "fp", "live/1", "30000");
        settle(record, "stalled/1", "FENCE", "fp");

        // The live attempt still holds the key; the stalled one's late claim changes nothing.
        assertEquals("IN_FLIGHT", claim(record, "fp", "repeat/1", "30000"));
        assertEquals("STALE", claim(record, "fp", "stalled/1", "30000"));
        // When the live attempt ends without an answer to keep, the next attempt may claim the key.
        settle(record, "live/1", "FORGET", "fp");
        assertEquals("CLAIMED", claim(record, "fp", "repeat/2", "30000"));
        assertEquals("STALE", claim(record, "fp", "stalled/1", "30000"), "the fence outlives the claims that follow it");
    }

    @Test
    void sameKeyWithADifferentBodyIsRefused() {
        String slot = Api.openSlot(5);
        String other = Api.openSlot(5);
        String account = "i5-reuse-" + slot;
        String patient = Api.patient(account);
        String key = UUID.randomUUID().toString();
        book(account, key, slot, patient).then().statusCode(201);

        book(account, key, other, patient).then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", endsWith("/idempotency-key-reused"));
        assertEquals(5, Api.slotCounts(other).getInt("remaining"), "the refused request took nothing");
    }

    @Test
    void keysAreScopedToTheAccount() {
        String slot = Api.openSlot(5);
        String key = "shared-key-" + slot;
        String a = "i5-a-" + slot;
        String b = "i5-b-" + slot;
        String first = book(a, key, slot, Api.patient(a)).then().statusCode(201).extract().path("id");
        String second = book(b, key, slot, Api.patient(b)).then().statusCode(201).extract().path("id");

        assertEquals(2, Database.activeBookings(pool, slot));
        org.junit.jupiter.api.Assertions.assertNotEquals(first, second);
    }

    /** claim-key.lua as an attempt with {@code token} runs it; its first reply word (CLAIMED, IN_FLIGHT, STALE, ...). */
    private String claim(String record, String fingerprint, String token, String leaseMs) {
        return CLAIM.run(redis, List.of(record), List.of(fingerprint, token, leaseMs, "")).await().atMost(Duration.ofSeconds(5))
                .get(0).toString();
    }

    /** settle-key.lua as the attempt with {@code token} ends (FENCE, FORGET), with the claim lease as time to live. */
    private void settle(String record, String token, String outcome, String fingerprint) {
        SETTLE.run(redis, List.of(record), List.of(token, outcome, fingerprint, "30000", "")).await().atMost(Duration.ofSeconds(5));
    }
}
