package io.firstvisit.inventory;

import io.firstvisit.support.Api;
import io.firstvisit.support.Database;
import io.firstvisit.support.Surge;
import io.firstvisit.support.Surge.Attempt;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.firstvisit.support.Api.book;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** I4: Redis may lose everything; inventory comes back from PostgreSQL and nothing is oversold. */
@QuarkusTest
class RedisRecoveryTest {

    @Inject
    RedisAPI redis;

    @Inject
    Pool pool;

    @Test
    void flushedRedisIsRebuiltFromPostgresAndNeverOversells() {
        String slot = Api.openSlot(10);
        List<String> earlyAccounts = new ArrayList<>();
        List<String> earlyPatients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String account = "i4-early-" + i + "-" + slot;
            earlyAccounts.add(account);
            earlyPatients.add(Api.patient(account));
            book(account, i == 0 ? "key-" + slot : null, slot, earlyPatients.get(i)).then().statusCode(201);
        }
        String keptBooking = book(earlyAccounts.get(0), "key-" + slot, slot, earlyPatients.get(0))
                .then().statusCode(201).extract().path("id");

        flushRedis();

        assertEquals(6, Api.slotCounts(slot).getInt("remaining"), "rebuilt: capacity - active bookings");
        book(earlyAccounts.get(1), null, slot, earlyPatients.get(1)).then().statusCode(409)
                .body("type", endsWith("/already-booked"));
        book(earlyAccounts.get(0), "key-" + slot, slot, earlyPatients.get(0)).then().statusCode(201)
                .body("id", equalTo(keptBooking));

        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            accounts.add("i4-late-" + i + "-" + slot);
        }
        List<String> patients = Api.patients(accounts);
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            attempts.add(Attempt.book(Tokens.patient(accounts.get(i)), slot, patients.get(i)));
        }
        List<Surge.Result> results = Surge.fire(attempts);

        assertEquals(6, results.stream().filter(r -> r.status() == 201).count(), "only the 6 free places are sold");
        assertEquals(194, results.stream().filter(r -> r.status() == 409).count());
        assertEquals(10, Database.activeBookings(pool, slot));
        assertEquals(10, Database.distinctActiveSeats(pool, slot));
        assertEquals(0, Api.slotCounts(slot).getInt("remaining"));
    }

    @Test
    void surgeStraightAfterAFlushRebuildsOnceAndNeverOversells() {
        String slot = Api.openSlot(15);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            accounts.add("i4-cold-" + i + "-" + slot);
        }
        List<String> patients = Api.patients(accounts);
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            attempts.add(Attempt.book(Tokens.patient(accounts.get(i)), slot, patients.get(i)));
        }
        flushRedis(); // every one of these arrives at a cold Redis, with patients and slot unknown to it

        List<Surge.Result> results = Surge.fire(attempts);

        assertEquals(15, results.stream().filter(r -> r.status() == 201).count());
        assertEquals(15, Database.activeBookings(pool, slot));
        assertEquals(0, Api.slotCounts(slot).getInt("remaining"));
    }

    private void flushRedis() {
        redis.flushdb(List.of()).await().atMost(Duration.ofSeconds(5));
        assertEquals(0, redis.dbsize().await().atMost(Duration.ofSeconds(5)).toInteger());
    }

}
