package io.firstvisit.inventory;

import io.firstvisit.common.JsonCodec;
import io.firstvisit.redis.LuaScript;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.mutiny.Uni;
import io.firstvisit.redis.RedisCommands;
import io.firstvisit.redis.RedisUnreachable;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Redis side of the booking path: the Java face of the Lua scripts. Each call is one round trip,
 * guarded by a timeout and a circuit breaker so that a slow or dead Redis answers 503 fast instead
 * of piling requests up.
 */
@ApplicationScoped
public class Inventory {

    /** Budget for one Redis round trip; a healthy Redis answers in well under a millisecond. */
    private static final long REDIS_TIMEOUT_MS = 1500;

    private final RedisAPI redis;
    private final InventoryKeys keys;
    private final InventoryConfig config;
    private final JsonCodec json;
    private final SoldOutCache soldOut;
    private final LuaScript reserve = LuaScript.load("reserve");
    private final LuaScript release = LuaScript.load("release");
    private final LuaScript warm = LuaScript.load("warm");
    private final LuaScript availability = LuaScript.load("availability");
    private final LuaScript reconcile = LuaScript.load("reconcile");
    private final LuaScript cancelSlots = LuaScript.load("cancel-slots");
    private final LuaScript offer = LuaScript.load("offer");
    private final LuaScript unpark = LuaScript.load("unpark");
    private final LuaScript startWaiting = LuaScript.load("wait");
    private final Event<SeatParked> parked;

    public Inventory(@RedisCommands RedisAPI redis, InventoryKeys keys, InventoryConfig config, JsonCodec json, SoldOutCache soldOut,
                     Event<SeatParked> parked) {
        this.parked = parked;
        this.soldOut = soldOut;
        this.redis = redis;
        this.keys = keys;
        this.config = config;
        this.json = json;
    }

    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 3, skipOn = RedisUnreachable.class)
    public Uni<Admission> reserve(DepartmentDay day, UUID slotId, UUID patientId, UUID reservationId, String account,
                                  int maxPerAccount, Instant now) {
        return reserve(day, slotId, patientId, reservationId, account, maxPerAccount, now, null);
    }

    /**
     * The same for a reschedule within one department-day: {@code replaces} is the reservation being
     * moved, which keeps the patient's hold until {@link #release} hands it over after the commit.
     */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 3, skipOn = RedisUnreachable.class)
    public Uni<Admission> reserve(DepartmentDay day, UUID slotId, UUID patientId, UUID reservationId, String account,
                                  int maxPerAccount, Instant now, UUID replaces) {
        Instant deadline = now.plus(config.reservationTimeout());
        return reserve.run(redis,
                        List.of(keys.warm(day), keys.capacity(day), keys.seats(day, slotId), keys.holders(day),
                                keys.reservations(day), keys.pending(day), keys.accounts(day), keys.cancelled(day)),
                        List.of(slotId.toString(), patientId.toString(), reservationId.toString(),
                                Long.toString(now.toEpochMilli()), Long.toString(deadline.toEpochMilli()), account,
                                Integer.toString(maxPerAccount), replaces == null ? "" : replaces.toString()))
                .map(Admission::of);
    }

    /**
     * What release.lua did: the day was cold, the reservation was already gone, or it was released now: its seat
     * back to open booking (RELEASED) or, while the day's waitlist has entries waiting, parked for them (PARKED).
     */
    public enum Released { COLD, UNKNOWN, RELEASED, PARKED;

        /** The reservation ended now (whatever became of its seat). */
        public boolean ended() {
            return this == RELEASED || this == PARKED;
        }
    }

    /**
     * Gives a reservation's seat back ({@code returnSeat}) or just forgets the reservation (when
     * PostgreSQL holds that seat for another booking).
     */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 3, skipOn = RedisUnreachable.class)
    public Uni<Released> release(DepartmentDay day, UUID slotId, UUID reservationId, UUID patientId, boolean returnSeat) {
        return release(day, slotId, reservationId, patientId, returnSeat, null);
    }

    /** The same, handing the patient's hold of the department-day to {@code successor} (a committed reschedule). */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 3, skipOn = RedisUnreachable.class)
    public Uni<Released> release(DepartmentDay day, UUID slotId, UUID reservationId, UUID patientId, boolean returnSeat,
                                 UUID successor) {
        return release.run(redis,
                        List.of(keys.warm(day), keys.seats(day, slotId), keys.holders(day), keys.reservations(day),
                                keys.pending(day), keys.accounts(day), keys.waiting(day), keys.parked(day)),
                        List.of(reservationId.toString(), patientId.toString(), returnSeat ? "1" : "0",
                                successor == null ? "" : successor.toString()))
                .map(reply -> Released.valueOf(reply.get(0).toString()))
                .call(released -> returnSeat && released == Released.RELEASED
                        ? soldOut.reopen(List.of(slotId))
                        : Uni.createFrom().voidItem())
                .invoke(released -> {
                    if (released == Released.PARKED) {
                        parked.fire(new SeatParked(day));
                    }
                });
    }

    /**
     * Hands the day's first parked seat of one of {@code offerable} slots to a waitlist entry's patient (offer.lua):
     * a reservation {@code reservationId} that must be committed by now + reservation-timeout, like a booking's.
     */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 3, skipOn = RedisUnreachable.class)
    public Uni<Offer> offer(DepartmentDay day, UUID patientId, UUID reservationId, String account, int maxPerAccount, Instant now,
                            List<UUID> offerable) {
        Instant deadline = now.plus(config.reservationTimeout());
        return offer.run(redis,
                        List.of(keys.warm(day), keys.parked(day), keys.holders(day), keys.reservations(day), keys.pending(day),
                                keys.accounts(day), keys.cancelled(day)),
                        List.of(keys.seatsPrefix(day), patientId.toString(), reservationId.toString(), Long.toString(now.toEpochMilli()),
                                Long.toString(deadline.toEpochMilli()), account, Integer.toString(maxPerAccount),
                                String.join(" ", offerable.stream().map(UUID::toString).toList())))
                .map(Offer::of);
    }

    /**
     * A waitlist entry committed in PostgreSQL starts waiting in Redis (wait.lua); a seat of one of {@code open} slots
     * (released, not started) that came back since the join's check is parked with it. False if the day is cold.
     */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    public Uni<Boolean> startWaiting(DepartmentDay day, UUID entryId, List<UUID> open) {
        return startWaiting.run(redis, List.of(keys.warm(day), keys.waiting(day), keys.parked(day)),
                        List.of(entryId.toString(), keys.seatsPrefix(day), String.join(" ", open.stream().map(UUID::toString).toList())))
                .invoke(reply -> {
                    if (reply.size() > 2 && reply.get(2).toLong() > 0) {
                        parked.fire(new SeatParked(day));
                    }
                })
                .map(reply -> "WAITING".equals(reply.get(0).toString()));
    }

    /** An entry stopped waiting (left, offered, closed): it no longer holds returned seats back. */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    public Uni<Void> stopWaiting(DepartmentDay day, List<UUID> entryIds) {
        if (entryIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = new ArrayList<>(1 + entryIds.size());
        args.add(keys.waiting(day));
        entryIds.forEach(id -> args.add(id.toString()));
        return redis.srem(args).replaceWithVoid();
    }

    /** The ids the day's waiting set holds (WAITING entries, and stale copies of ones that stopped). */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    public Uni<List<UUID>> waiting(DepartmentDay day) {
        return redis.smembers(keys.waiting(day)).map(members -> {
            List<UUID> ids = new ArrayList<>();
            if (members != null) {
                members.forEach(m -> ids.add(UUID.fromString(m.toString())));
            }
            return ids;
        });
    }

    /** Seats parked for the day's waitlist. */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    public Uni<Long> parkedCount(DepartmentDay day) {
        return redis.llen(keys.parked(day)).map(Response::toLong);
    }

    /**
     * Nobody waits for the day any more (PostgreSQL says so): {@code stale} ids leave the waiting set and, if it is
     * then empty, the parked seats go back to open booking (unpark.lua). True if they did (or none were parked); false
     * while someone still waits (an entry that joined meanwhile).
     */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    public Uni<Boolean> unpark(DepartmentDay day, List<UUID> stale) {
        List<String> args = new ArrayList<>(1 + stale.size());
        args.add(keys.seatsPrefix(day));
        stale.forEach(id -> args.add(id.toString()));
        return unpark.run(redis, List.of(keys.warm(day), keys.waiting(day), keys.parked(day)), args)
                .flatMap(reply -> {
                    String outcome = reply.get(0).toString();
                    if ("WAITING".equals(outcome)) {
                        return Uni.createFrom().item(false);
                    }
                    List<UUID> reopened = new ArrayList<>();
                    for (int i = 1; i < reply.size(); i++) {
                        reopened.add(UUID.fromString(reply.get(i).toString()));
                    }
                    return (reopened.isEmpty() ? Uni.createFrom().voidItem() : soldOut.reopen(reopened)).replaceWith(true);
                });
    }

    /** From now on reserve.lua refuses these slots of the department-day (the hospital cancelled them). */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 3, skipOn = RedisUnreachable.class)
    public Uni<Void> cancel(DepartmentDay day, List<UUID> slotIds) {
        List<String> args = new ArrayList<>(1 + slotIds.size());
        args.add(Long.toString(expireAt(day)));
        slotIds.forEach(id -> args.add(id.toString()));
        return cancelSlots.run(redis, List.of(keys.cancelled(day)), args).replaceWithVoid();
    }

    /** The booking row is committed: the reservation no longer waits for the reaper. */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    public Uni<Void> confirm(DepartmentDay day, UUID reservationId) {
        return redis.zrem(List.of(keys.pending(day), reservationId.toString())).replaceWithVoid();
    }

    /**
     * Loads slots into a department-day (idempotent per slot) and marks the day warm. {@code waiting}: the day's WAITING
     * waitlist entries (a rebuild; empty when publishing): they wait in Redis again and the loaded free seats of the
     * {@code open} slots (released, not started) are parked for them (I12). Returns the number of slots newly warmed.
     */
    @AsynchronousNonBlocking
    @Timeout(5000)
    public Uni<Long> warm(DepartmentDay day, List<WarmSlot> slots, List<UUID> waiting, List<UUID> open) {
        List<String> scriptKeys = new ArrayList<>(9 + slots.size());
        scriptKeys.addAll(List.of(keys.warm(day), keys.capacity(day), keys.views(day), keys.holders(day),
                keys.reservations(day), keys.accounts(day), keys.cancelled(day), keys.waiting(day), keys.parked(day)));
        slots.forEach(slot -> scriptKeys.add(keys.seats(day, slot.id())));
        long expireAt = expireAt(day);
        String spec = json.write(Map.of("slots", slots, "waiting", waiting, "open", open));
        return warm.run(redis, scriptKeys, List.of(Long.toString(expireAt), spec))
                .invoke(reply -> {
                    if (reply.get(1).toLong() > 0) {
                        parked.fire(new SeatParked(day));
                    }
                })
                .map(reply -> reply.get(0).toLong())
                .call(warmed -> warmed > 0 ? soldOut.reopen(slots.stream().map(WarmSlot::id).toList()) : Uni.createFrom().voidItem())
                .call(() -> redis.sadd(List.of(keys.knownDays(), day.id())));
    }

    /**
     * Every slot view of a department-day with its remaining seats, or empty when the day is cold.
     */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 3, skipOn = RedisUnreachable.class)
    public Uni<Optional<List<ViewWithRemaining>>> availability(DepartmentDay day) {
        return availability.run(redis, List.of(keys.warm(day), keys.views(day), keys.cancelled(day)), List.of(keys.seatsPrefix(day)))
                .map(reply -> {
                    if (reply == null) {
                        return Optional.empty();
                    }
                    List<ViewWithRemaining> out = new ArrayList<>(reply.size() / 3);
                    for (int i = 0; i + 2 < reply.size(); i += 3) {
                        out.add(new ViewWithRemaining(reply.get(i).toString(), reply.get(i + 1).toInteger(), reply.get(i + 2).toInteger() == 1));
                    }
                    return Optional.of(out);
                });
    }

    /** Free seats of one slot, or empty when its department-day is cold. */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    public Uni<Optional<Integer>> remaining(DepartmentDay day, UUID slotId) {
        return redis.exists(List.of(keys.warm(day)))
                .flatMap(warmNow -> warmNow.toInteger() == 0
                        ? Uni.createFrom().item(Optional.<Integer>empty())
                        : redis.llen(keys.seats(day, slotId)).map(n -> Optional.of(n.toInteger())));
    }

    /** Reservations of a department-day whose commit deadline has passed, at most {@code limit}. */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    public Uni<List<OverdueReservation>> overdue(DepartmentDay day, Instant now, int limit) {
        return redis.zrangebyscore(List.of(keys.pending(day), "-inf", Long.toString(now.toEpochMilli()),
                        "LIMIT", "0", Integer.toString(limit)))
                .flatMap(ids -> {
                    if (ids == null || ids.size() == 0) {
                        return Uni.createFrom().item(List.<OverdueReservation>of());
                    }
                    List<String> fields = new ArrayList<>();
                    fields.add(keys.reservations(day));
                    ids.forEach(id -> fields.add(id.toString()));
                    return redis.hmget(fields).map(records -> {
                        List<OverdueReservation> out = new ArrayList<>();
                        for (int i = 0; i < ids.size(); i++) {
                            Response record = records.get(i);
                            out.add(OverdueReservation.parse(UUID.fromString(ids.get(i).toString()),
                                    record == null ? null : record.toString()));
                        }
                        return out;
                    });
                });
    }

    /**
     * Repairs one department-day against a PostgreSQL snapshot taken just before (reconcile.lua).
     * Returns the drift found, or empty when the day is cold (nothing to compare). {@code waiting}: the day's WAITING
     * waitlist entries in PostgreSQL, added to the day's waiting set (parked seats are kept, leaked seats parked while
     * entries wait: I12).
     */
    @AsynchronousNonBlocking
    @Timeout(5000)
    public Uni<Optional<Drift>> reconcile(DepartmentDay day, List<ReconcileSlot> slots, List<UUID> waiting, Instant now,
                                          java.time.Duration grace) {
        List<String> scriptKeys = new ArrayList<>(8 + slots.size());
        scriptKeys.addAll(List.of(keys.warm(day), keys.capacity(day), keys.holders(day), keys.reservations(day), keys.pending(day),
                keys.accounts(day), keys.waiting(day), keys.parked(day)));
        slots.forEach(slot -> scriptKeys.add(keys.seats(day, slot.id())));
        String spec = json.write(Map.of("slots", slots, "waiting", waiting));
        return reconcile.run(redis, scriptKeys, List.of(Long.toString(now.toEpochMilli()), Long.toString(grace.toMillis()), spec))
                .map(reply -> "COLD".equals(reply.get(0).toString())
                        ? Optional.<Drift>empty()
                        : Optional.of(new Drift(reply.get(1).toInteger(), reply.get(2).toInteger(), reply.get(3).toInteger())))
                .call(drift -> drift.isPresent() && drift.get().returned() > 0
                        ? soldOut.reopen(slots.stream().map(ReconcileSlot::id).toList())
                        : Uni.createFrom().voidItem());
    }

    /** Reservations of a department-day still waiting for their commit. */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    public Uni<Long> pendingCount(DepartmentDay day) {
        return redis.zcard(keys.pending(day)).map(Response::toLong);
    }

    /** A slot as reconcile.lua compares it: its capacity and the seats PostgreSQL holds for active bookings. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record ReconcileSlot(UUID id, int capacity, List<WarmSlot.HeldSeat> active) {
    }

    /**
     * What a reconciliation repaired: seats removed from free lists (held in PostgreSQL or duplicated:
     * oversell risk), bookings Redis did not know (added), seats nobody held (returned: a leak).
     */
    public record Drift(int removed, int added, int returned) {
        public int total() {
            return removed + added + returned;
        }
    }

    /** Department-days that have (or had) inventory in this Redis. */
    @AsynchronousNonBlocking
    @Timeout(REDIS_TIMEOUT_MS)
    public Uni<List<DepartmentDay>> knownDays() {
        return redis.smembers(keys.knownDays()).map(members -> {
            List<DepartmentDay> days = new ArrayList<>();
            if (members != null) {
                members.forEach(m -> DepartmentDay.parse(m.toString()).ifPresent(days::add));
            }
            return days;
        });
    }

    /** Forgets a past department-day in the index (its keys expire on their own). */
    public Uni<Void> forget(DepartmentDay day) {
        return redis.srem(List.of(keys.knownDays(), day.id())).replaceWithVoid();
    }

    public record ViewWithRemaining(String viewJson, int remaining, boolean cancelled) {
    }

    /**
     * A pending reservation past its deadline, with the account that took it; {@code slotId} (and the rest)
     * is null if its record vanished.
     */
    public record OverdueReservation(UUID reservationId, UUID slotId, UUID patientId, String accountId) {
        /** {@code record} as reserve.lua writes it: "slotId seat patientId createdMillis accountId". */
        static OverdueReservation parse(UUID id, String record) {
            if (record == null) {
                return new OverdueReservation(id, null, null, null);
            }
            String[] parts = record.split(" ", 5); // the account id comes last and is kept whole
            return new OverdueReservation(id, UUID.fromString(parts[0]), UUID.fromString(parts[2]), parts.length > 4 ? parts[4] : null);
        }
    }

    /** Every key of a department-day expires {@code retention-days} after its date. */
    public long expireAt(DepartmentDay day) {
        return day.date().plusDays(config.retentionDays()).atStartOfDay().toInstant(ZoneOffset.ofHours(8)).toEpochMilli();
    }
}
