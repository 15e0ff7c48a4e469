package io.firstvisit.waitlist;

import io.firstvisit.booking.BookingConfig;
import io.firstvisit.booking.VisitRules;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.common.OutageLog;
import io.firstvisit.inventory.ActiveDays;
import io.firstvisit.inventory.DepartmentDay;
import io.firstvisit.inventory.Inventory;
import io.firstvisit.inventory.Offer;
import io.firstvisit.inventory.SeatParked;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotStatus;
import io.firstvisit.schedule.SlotView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * I12: a returned place goes to the first waiting entry before open booking. release.lua parks a returned seat while
 * the day's waiting set is not empty; this offers parked seats, one at a time per department-day across every
 * instance (a PostgreSQL advisory lock), in one transaction each:
 *
 * <pre>
 *  lock the day ─▶ first WAITING entry (FOR UPDATE SKIP LOCKED) ─┬─ none ─▶ unpark.lua: seats back to open booking
 *                                                                ▼
 *                offer.lua: first parked seat reserved for its patient ─┬─ none parked ─▶ stop
 *                                                                        ├─ patient booked / account full ─▶ entry CLOSED, next
 *                                                                        │  (also: the slot's first-visit / follow-up rule refuses the patient)
 *                                                                        ▼
 *                INSERT booking (OFFERED | PENDING_PAYMENT until now + offer-window), entry OFFERED ─▶ commit ─▶ next
 *                                           └─ failed ─▶ release.lua: the seat is parked again (or freed if nobody waits)
 * </pre>
 *
 * Triggered at once when a seat is parked ({@link SeatParked}) and swept every {@code sweep-interval} on every
 * instance (a notice lost with an instance, or a failure, costs at most that). An offer that is not taken expires in
 * HoldExpirer like a payment hold; its seat goes back through release.lua and is parked for the next entry.
 */
@ApplicationScoped
public class WaitlistOfferer {

    private static final Logger LOG = Logger.getLogger(WaitlistOfferer.class);
    /** Steps (offers, skipped entries) of one pass before it yields to the next sweep or notice: a pass never runs unbounded. */
    private static final int MAX_STEPS_PER_PASS = 1000;

    static final String ALREADY_BOOKED = "already-booked";

    private final Pool pool;
    private final WaitlistQueries queries;
    private final Inventory inventory;
    private final SlotDirectory slots;
    private final ActiveDays activeDays;
    private final HospitalTime time;
    private final Duration offerWindow;
    private final VisitRules visitRules;
    private final int maxPerAccountDay;
    private final Counter offered;
    private final Counter unparked;
    private final OutageLog outage = new OutageLog(LOG, "Waitlist offer sweep");
    /** Days with a pass running on this instance; true when another pass was asked for meanwhile. */
    private final Map<DepartmentDay, Boolean> running = new ConcurrentHashMap<>();

    public WaitlistOfferer(Pool pool, WaitlistQueries queries, Inventory inventory, SlotDirectory slots, ActiveDays activeDays, HospitalTime time,
                           WaitlistConfig config, BookingConfig bookingConfig, MeterRegistry registry) {
        this.pool = pool;
        this.queries = queries;
        this.inventory = inventory;
        this.slots = slots;
        this.activeDays = activeDays;
        this.time = time;
        this.offerWindow = config.offerWindow();
        this.visitRules = new VisitRules(bookingConfig.followUpWindow(), bookingConfig.firstVisitUnseenOnly());
        this.maxPerAccountDay = bookingConfig.maxPerAccountDay();
        this.offered = Counter.builder("firstvisit.waitlist.offers")
                .description("Places offered to waitlist entries").register(registry);
        this.unparked = Counter.builder("firstvisit.waitlist.unparked")
                .description("Times a department-day's parked seats went back to open booking (nobody waited any more)")
                .register(registry);
    }

    /** What one step of a pass did. */
    enum Step {
        OFFERED,
        /** The entry could not take a place (closed); the seat goes to the next one. */
        SKIPPED,
        /** The seat was held in PostgreSQL by another booking (Redis drifted): dropped; the entry still waits. */
        DROPPED,
        NO_SEAT,
        NOBODY_WAITING
    }

    void onParked(@Observes SeatParked parked) {
        offerSoon(parked.day());
    }

    /**
     * Starts a pass over the day on this instance, or asks the running one to look again when it ends. Never blocks.
     */
    public void offerSoon(DepartmentDay day) {
        boolean[] start = {false};
        running.compute(day, (d, asked) -> {
            start[0] = asked == null;
            return asked == null ? Boolean.FALSE : Boolean.TRUE;
        });
        if (start[0]) {
            pass(day);
        }
    }

    private void pass(DepartmentDay day) {
        offerAll(day).subscribe().with(made -> passEnded(day), failure -> {
            LOG.warnf("Waitlist offers of %s stopped (the sweep tries again): %s", day.id(), failure.toString());
            // Not again at once: a failure that repeats (PostgreSQL down) would otherwise loop on its own notices.
            running.remove(day);
        });
    }

    /** One atomic decision: another pass if one was asked for while this one ran, else the day is free again. */
    private void passEnded(DepartmentDay day) {
        boolean[] again = {false};
        running.compute(day, (d, asked) -> {
            again[0] = Boolean.TRUE.equals(asked);
            return again[0] ? Boolean.FALSE : null;
        });
        if (again[0]) {
            pass(day);
        }
    }

    @Scheduled(every = "{firstvisit.waitlist.sweep-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        LocalDate oldest = time.today().minusDays(1);
        return queries.closePast(time.today()).chain(activeDays::get)
                .onItem().transformToMulti(days -> Multi.createFrom().iterable(days))
                .select().where(day -> !day.date().isBefore(oldest))
                .onItem().transformToUniAndConcatenate(day -> inventory.parkedCount(day)
                        .invoke(parkedSeats -> {
                            if (parkedSeats > 0) {
                                offerSoon(day);
                            }
                        }))
                .collect().last()
                .invoke(outage::succeeded)
                .onFailure().invoke(outage::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Offers every seat parked for the day, in order, to the day's waiting entries; the number offered. */
    public Uni<Integer> offerAll(DepartmentDay day) {
        return offerAll(day, 0, 0, false);
    }

    /**
     * {@code steps} bounds the pass; {@code lookedAgain}: PostgreSQL had nobody waiting but Redis still listed someone
     * (a join committed in between): one more look, then the sweep's turn.
     */
    private Uni<Integer> offerAll(DepartmentDay day, int made, int steps, boolean lookedAgain) {
        if (steps >= MAX_STEPS_PER_PASS) {
            return Uni.createFrom().item(made);
        }
        return inventory.parkedCount(day).flatMap(parkedSeats -> parkedSeats == 0
                ? Uni.createFrom().item(made)
                : step(day).flatMap(step -> switch (step) {
                    case OFFERED -> offerAll(day, made + 1, steps + 1, false);
                    case SKIPPED, DROPPED -> offerAll(day, made, steps + 1, false);
                    case NO_SEAT -> Uni.createFrom().item(made);
                    case NOBODY_WAITING -> unpark(day).flatMap(done -> done || lookedAgain
                            ? Uni.createFrom().item(made)
                            : offerAll(day, made, steps + 1, true));
                }));
    }

    /** One offer (or one skipped entry), in one transaction holding the day's lock. */
    private Uni<Step> step(DepartmentDay day) {
        Instant now = time.now();
        UUID bookingId = UUID.randomUUID();
        AtomicReference<Offer.Offered> reserved = new AtomicReference<>();
        AtomicReference<WaitlistQueries.Waiting> entry = new AtomicReference<>();
        return offerable(day, now)
                .flatMap(offerable -> offerable.isEmpty()
                        ? Uni.createFrom().item(Step.NO_SEAT)
                        : pool.withTransaction(connection -> WaitlistQueries.lockDay(connection, day)
                                .chain(() -> WaitlistQueries.firstWaiting(connection, day))
                                .flatMap(first -> {
                                    if (first == null) {
                                        return Uni.createFrom().item(Step.NOBODY_WAITING);
                                    }
                                    entry.set(first);
                                    return inventory.offer(day, first.patientId(), bookingId, first.accountId(), maxPerAccountDay, now,
                                                    offerable.get())
                                            .flatMap(offer -> decide(connection, offer, first, bookingId, now, reserved));
                                })))
                .onFailure().call(failure -> afterFailure(day, failure, reserved.get(), entry.get(), bookingId))
                .onFailure(WaitlistOfferer::patientDayTaken).recoverWithUni(() -> closeAfterConflict(entry.get()))
                .onFailure(WaitlistOfferer::seatTaken).recoverWithItem(Step.DROPPED)
                .call(step -> afterCommit(day, step, entry.get(), bookingId))
                .call(step -> step == Step.SKIPPED ? giveBack(day, reserved.get(), entry.get(), bookingId) : Uni.createFrom().voidItem());
    }

    private Uni<Step> decide(SqlConnection connection, Offer offer, WaitlistQueries.Waiting entry, UUID bookingId, Instant now,
                             AtomicReference<Offer.Offered> reserved) {
        if (offer instanceof Offer.Offered seat) {
            reserved.set(seat);
            return WaitlistQueries.offer(connection, bookingId, seat.slotId(), seat.seat(), entry, now, now.plus(offerWindow),
                            visitRules.windowDays(), visitRules.firstVisitUnseenOnly())
                    .flatMap(recorded -> switch (recorded) {
                        case OFFERED -> Uni.createFrom().item(Step.OFFERED);
                        // The hospital cancelled the slot since offer.lua took the seat: roll back, the seat goes back.
                        case SLOT_CANCELLED -> Uni.createFrom().failure(new SlotCancelled(seat.slotId()));
                        // I11 refuses this patient on this slot: the entry is closed, the seat goes to the next one.
                        case NOT_ELIGIBLE -> WaitlistQueries.close(connection, entry.id(), "not-eligible").replaceWith(Step.SKIPPED);
                    });
        }
        if (offer instanceof Offer.AlreadyBooked) {
            return WaitlistQueries.close(connection, entry.id(), ALREADY_BOOKED).replaceWith(Step.SKIPPED);
        }
        if (offer instanceof Offer.AccountLimit) {
            return WaitlistQueries.close(connection, entry.id(), "account-limit").replaceWith(Step.SKIPPED);
        }
        return Uni.createFrom().item(Step.NO_SEAT); // none parked, or the day is cold (the rebuild and reconciler come first)
    }

    /** The offered seat's slot was cancelled by the hospital after offer.lua took it: the transaction rolls back. */
    private static final class SlotCancelled extends RuntimeException {
        SlotCancelled(UUID slotId) {
            super("slot " + slotId + " was cancelled", null, false, false);
        }
    }

    /**
     * The transaction failed after offer.lua reserved a seat. Surely rolled back (PostgreSQL refused a statement, or
     * the slot was cancelled): the seat goes back, parked again for the entries still waiting; if PostgreSQL holds
     * that seat for another booking (Redis drifted), it is dropped instead, never offered twice. Otherwise (a
     * timeout, a lost connection) the commit may have landed: the reservation is left to the reaper, which asks
     * PostgreSQL before it returns the seat (I3), as the booking path does.
     */
    private Uni<Void> afterFailure(DepartmentDay day, Throwable failure, Offer.Offered seat, WaitlistQueries.Waiting entry,
                                   UUID bookingId) {
        if (seat == null) {
            return Uni.createFrom().voidItem();
        }
        if (seatTaken(failure)) {
            LOG.warnf("Seat %d of slot %s is already held in PostgreSQL; dropping it from Redis", seat.seat(), seat.slotId());
            return inventory.release(day, seat.slotId(), bookingId, entry.patientId(), false)
                    .onFailure().recoverWithNull().replaceWithVoid();
        }
        if (failure instanceof PgException || failure instanceof SlotCancelled) {
            return giveBack(day, seat, entry, bookingId);
        }
        LOG.warnf("Offer %s of %s may or may not have committed (%s); the reaper settles its seat", bookingId, day.id(), failure.toString());
        return Uni.createFrom().voidItem();
    }

    /** The reservation offer.lua made goes back, parked again for the entries still waiting. */
    private Uni<Void> giveBack(DepartmentDay day, Offer.Offered seat, WaitlistQueries.Waiting entry, UUID bookingId) {
        if (seat == null) {
            return Uni.createFrom().voidItem();
        }
        return inventory.release(day, seat.slotId(), bookingId, entry.patientId(), true)
                .onFailure().invoke(f -> LOG.warnf("Offered seat of %s not yet given back (the reaper will): %s", bookingId, f.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** PostgreSQL knows the patient holds a place that day (Redis did not): the entry is skipped, not retried for ever. */
    private static boolean patientDayTaken(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && "booking_active_patient_day".equals(pg.getConstraint());
    }

    private static boolean seatTaken(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState()) && "booking_active_seat".equals(pg.getConstraint());
    }

    private Uni<Step> closeAfterConflict(WaitlistQueries.Waiting entry) {
        return pool.withTransaction(connection -> WaitlistQueries.close(connection, entry.id(), ALREADY_BOOKED)).replaceWith(Step.SKIPPED);
    }

    /** The entry stopped waiting in PostgreSQL: Redis' waiting set follows, and the offer's reservation is committed. */
    private Uni<Void> afterCommit(DepartmentDay day, Step step, WaitlistQueries.Waiting entry, UUID bookingId) {
        if (step == Step.OFFERED) {
            offered.increment();
            LOG.infof("Waitlist entry %s of %s offered a place (booking %s)", entry.id(), day.id(), bookingId);
            return inventory.stopWaiting(day, List.of(entry.id()))
                    .chain(() -> inventory.confirm(day, bookingId))
                    .onFailure().recoverWithNull(); // a stale waiting id only delays an unpark; the reaper settles the rest
        }
        if (step == Step.SKIPPED) {
            return inventory.stopWaiting(day, List.of(entry.id())).onFailure().recoverWithNull();
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * PostgreSQL has no WAITING entry for the day: the ids Redis still lists that PostgreSQL says stopped waiting leave
     * the waiting set, and the parked seats go back to open booking if nobody is left. False if someone joined meanwhile.
     */
    private Uni<Boolean> unpark(DepartmentDay day) {
        return inventory.waiting(day)
                .flatMap(queries::stopped)
                .flatMap(stale -> inventory.unpark(day, stale))
                .invoke(done -> {
                    if (done) {
                        unparked.increment();
                    }
                });
    }

    /**
     * The day's slots a place may be offered on now: released, not started (offer.lua also refuses cancelled ones).
     * Empty when the day is cold: no offer then (an empty list would send every parked seat to the free lists).
     */
    private Uni<Optional<List<UUID>>> offerable(DepartmentDay day, Instant now) {
        return inventory.availability(day).map(found -> found.map(rows -> rows.stream()
                .filter(row -> !row.cancelled())
                .map(row -> slots.parse(row.viewJson()))
                .filter(view -> SlotStatus.at(view, now) == SlotStatus.OPEN)
                .map(SlotView::id)
                .toList()));
    }
}
