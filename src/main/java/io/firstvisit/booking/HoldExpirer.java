package io.firstvisit.booking;

import io.firstvisit.common.HospitalTime;
import io.firstvisit.common.OutageLog;
import io.firstvisit.schedule.SlotDirectory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * A booking on a paid slot that was not paid by {@code holdExpiresAt}, or a waitlist offer (OFFERED) not accepted
 * by then, becomes EXPIRED and its seat goes
 * back to Redis, so that every instance forgets its sold-out mark at once (release.lua's pub/sub path).
 * Bound: holdExpiresAt + the reaper interval. PostgreSQL decides a payment racing the expiry: both move
 * the row out of PENDING_PAYMENT, under its row lock, so exactly one wins (and a CHECK forbids a paid
 * booking from being EXPIRED). A seat whose return to Redis fails is repaired by the reconciler, which
 * counts only bookings that hold a seat. While the day's waitlist has entries waiting, the seat is parked for the
 * next one (release.lua, I12), so an offer not taken in time passes on.
 */
@ApplicationScoped
public class HoldExpirer {

    private static final Logger LOG = Logger.getLogger(HoldExpirer.class);
    private static final int BATCH = 500;

    private final BookingQueries queries;
    private final SlotDirectory slots;
    private final Seats seats;
    private final HospitalTime time;
    private final Counter expired;
    private final OutageLog outage = new OutageLog(LOG, "Payment-hold sweep");

    public HoldExpirer(BookingQueries queries, SlotDirectory slots, Seats seats, HospitalTime time, MeterRegistry registry) {
        this.queries = queries;
        this.slots = slots;
        this.seats = seats;
        this.time = time;
        this.expired = Counter.builder("firstvisit.booking.holds.expired")
                .description("Bookings on paid slots whose payment did not come in time; their seats went back")
                .register(registry);
    }

    @Scheduled(every = "{firstvisit.inventory.reaper-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return expireDue(time.now())
                .invoke(outage::succeeded)
                .onFailure().invoke(outage::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Expires every hold due at {@code now} (in batches) and returns their seats; the number expired. */
    public Uni<Integer> expireDue(Instant now) {
        return queries.expireDue(now, BATCH).flatMap(batch -> {
            if (batch.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            expired.increment(batch.size());
            Uni<Void> returned = Uni.join().all(batch.stream().map(this::returnSeat).toList()).andCollectFailures().replaceWithVoid();
            return returned.chain(() -> batch.size() < BATCH ? Uni.createFrom().item(0) : expireDue(now))
                    .map(more -> batch.size() + more);
        });
    }

    private Uni<Void> returnSeat(BookingQueries.Expired hold) {
        return slots.find(hold.slotId())
                .flatMap(slot -> seats.release(slot, hold.bookingId(), hold.patientId(), true, null))
                .onFailure().invoke(f -> LOG.warnf("Seat of expired hold %s not yet returned (the reconciler will): %s",
                        hold.bookingId(), f.toString()))
                .onFailure().recoverWithNull();
    }
}
