package io.firstvisit.booking;

import io.firstvisit.inventory.Inventory;
import io.firstvisit.inventory.InventoryKeys;
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

/** I5: same Idempotency-Key + same account + same body gives the same response and one booking. */
@QuarkusTest
class IdempotencyTest {

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
    void aClaimLeftByACrashedInstanceBlocksItsKeyOnlyUntilTheLeaseEnds() throws InterruptedException {
        String slot = Api.openSlot(3);
        String account = "i5-lease-" + slot;
        String patient = Api.patient(account);
        String key = UUID.randomUUID().toString();
        // An instance claimed the key and was killed before it answered or stored anything: its
        // in-flight claim is all that is left, and nobody will ever release it. (800 ms stands in for
        // the real lease, IdempotencyStore.IN_FLIGHT_LEASE.)
        String claim = keys.idempotency(account, IdempotencyStore.digest(key));
        redis.set(List.of(claim, "{\"fingerprint\":\"" + slot + "|" + patient + "\",\"response\":null}", "PX", "800"))
                .await().atMost(Duration.ofSeconds(5));

        // While the lease runs, the retry is told to come back, not refused for good nor booked twice.
        book(account, key, slot, patient).then().statusCode(503).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        assertEquals(0, Database.activeBookings(pool, slot));

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (redis.exists(List.of(claim)).await().atMost(Duration.ofSeconds(5)).toInteger() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        // Once it has ended, the retry runs and books, under the booking id the key derives.
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
    void refusalsAreReplayedToo() {
        String slot = Api.openSlot(1);
        String winner = "i5-winner-" + slot;
        book(winner, null, slot, Api.patient(winner)).then().statusCode(201);
        String account = "i5-loser-" + slot;
        String patient = Api.patient(account);
        String key = UUID.randomUUID().toString();

        book(account, key, slot, patient).then().statusCode(409).body("type", endsWith("/sold-out"));
        book(account, key, slot, patient).then().statusCode(409).body("type", endsWith("/sold-out"));
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
}
