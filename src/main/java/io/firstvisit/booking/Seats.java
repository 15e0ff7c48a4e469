package io.firstvisit.booking;

import io.firstvisit.problem.Problem;
import io.firstvisit.inventory.Admission;
import io.firstvisit.inventory.Inventory;
import io.firstvisit.inventory.rebuild.InventoryRebuilder;
import io.firstvisit.inventory.SoldOutCache;
import io.firstvisit.schedule.SlotView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Taking and giving back seats in Redis for the booking path: one home for what every caller needs
 * (booking, cancelling, rescheduling, an expired hold), so the seat-return rules are written once.
 */
@ApplicationScoped
public class Seats {

    private static final Logger LOG = Logger.getLogger(Seats.class);
    /** How long a failed attempt's answer waits for its seat's return (see {@link #returnAfterFailure}). */
    static final Duration RETURN_WAIT = Duration.ofMillis(250);
    private static final Duration RETRY_SOON = Duration.ofSeconds(1);

    private final Inventory inventory;
    private final InventoryRebuilder rebuilder;
    private final SoldOutCache soldOut;
    private final int maxPerAccountDay;

    public Seats(Inventory inventory, InventoryRebuilder rebuilder, SoldOutCache soldOut, BookingConfig config) {
        this.inventory = inventory;
        this.soldOut = soldOut;
        this.rebuilder = rebuilder;
        this.maxPerAccountDay = config.maxPerAccountDay();
    }

    /**
     * One script decides; a cold department-day (Redis lost it, I4) is rebuilt from PostgreSQL once.
     * {@code replaces}: the reservation a same-day reschedule moves (null otherwise).
     */
    public Uni<Admission> reserve(SlotView slot, UUID patientId, UUID reservationId, String account, Instant now, UUID replaces) {
        return inventory.reserve(slot.day(), slot.id(), patientId, reservationId, account, maxPerAccountDay, now, replaces)
                .flatMap(admission -> admission instanceof Admission.Cold
                        ? rebuilder.rebuild(slot.day()).chain(() -> inventory.reserve(slot.day(), slot.id(), patientId, reservationId,
                                account, maxPerAccountDay, now, replaces))
                        : Uni.createFrom().item(admission))
                // The script may have run even though its answer never arrived (timeout): give the seat
                // back, so the parent is neither charged a seat nor locked out. Nothing was written to
                // PostgreSQL for it, so returning it cannot oversell.
                .onFailure().call(() -> returnAfterFailure(slot, patientId, reservationId));
    }

    /**
     * The 503 waits for the seat's return at most {@link #RETURN_WAIT}, not a second Redis budget: after
     * a hiccup the return lands within it (it is queued right behind the late reserve on the instance's one
     * pipelined connection), so a retry without a key is not refused as "already booked" by its own seat;
     * while Redis is unresponsive the parent gets the 503 after one budget instead of two. A return that has
     * not landed by then goes on in the background; if it never lands, the reaper returns the seat (I3).
     */
    Uni<Void> returnAfterFailure(SlotView slot, UUID patientId, UUID reservationId) {
        Uni<Void> returned = release(slot, reservationId, patientId, true, null).memoize().indefinitely();
        returned.subscribe().with(done -> { });
        return returned.ifNoItem().after(RETURN_WAIT).recoverWithItem((Void) null);
    }

    /**
     * Gives a reservation's seat back ({@code returnSeat}), or only forgets it (PostgreSQL holds that seat
     * for someone else). {@code successor}: the reservation that takes over the patient's hold of the
     * department-day (a committed same-day reschedule), else null. Never fails: a release Redis did not
     * take is repaired by the reaper (uncommitted reservations) or the reconciler (committed bookings).
     * I12: while the department-day's waitlist has entries waiting, release.lua parks a returned seat for them instead
     * of freeing it, and the waitlist's offerer hands it to the first entry (Inventory fires {@code SeatParked}).
     */
    public Uni<Void> release(SlotView slot, UUID reservationId, UUID patientId, boolean returnSeat, UUID successor) {
        return inventory.release(slot.day(), slot.id(), reservationId, patientId, returnSeat, successor)
                .onFailure().invoke(f -> LOG.warnf("Seat of %s not yet released (the reaper or reconciler will): %s", reservationId, f.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** What a parent is told when reserve.lua did not hand out a seat; a sold-out slot is remembered here. */
    public Problem refusal(Admission admission, SlotView slot) {
        if (admission instanceof Admission.SoldOut) {
            soldOut.markFull(slot.id());
            return BookingService.soldOutProblem();
        }
        if (admission instanceof Admission.AlreadyBooked) {
            return BookingService.alreadyBooked();
        }
        if (admission instanceof Admission.Cancelled) {
            return BookingService.slotCancelled();
        }
        if (admission instanceof Admission.AccountLimit) {
            return Problem.of(409, "account-limit", "account-limit", maxPerAccountDay);
        }
        return Problem.unavailable("inventory-rebuilding", RETRY_SOON); // still cold after a rebuild
    }

    /** The row is committed: the reservation stops waiting for the reaper (which would do the same later). */
    public void confirmInBackground(SlotView slot, UUID reservationId) {
        inventory.confirm(slot.day(), reservationId).subscribe().with(ok -> { }, f ->
                LOG.debugf("Confirm of %s left to the reaper: %s", reservationId, f.toString()));
    }
}
