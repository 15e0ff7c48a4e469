package io.firstvisit.booking;

import io.firstvisit.common.HospitalTime;
import io.firstvisit.problem.Problem;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotStatus;
import io.firstvisit.schedule.SlotView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

/**
 * The hospital records what happened at a visit: check-in, completion, no-show ({@link VisitOutcome}). The
 * booking keeps its seat through all of them. Java only explains refusals; PostgreSQL decides each move
 * ({@link VisitOutcomeQueries}), so a move checked here against a row read a moment ago still cannot apply twice.
 */
@ApplicationScoped
public class VisitOutcomes {

    private final VisitOutcomeQueries queries;
    private final SlotDirectory slots;
    private final VisitHistories histories;
    private final HospitalTime time;

    public VisitOutcomes(VisitOutcomeQueries queries, SlotDirectory slots, VisitHistories histories, HospitalTime time) {
        this.queries = queries;
        this.slots = slots;
        this.histories = histories;
        this.time = time;
    }

    /** Records {@code outcome} for the booking as done by {@code scheduler}; the booking as it is afterwards. */
    public Uni<BookingJson> record(VisitOutcome outcome, UUID bookingId, String scheduler) {
        Instant now = time.now();
        return queries.find(bookingId)
                .flatMap(booking -> {
                    if (booking == null) {
                        throw BookingService.notFound();
                    }
                    return slots.find(booking.slotId).flatMap(slot -> decide(outcome, booking, slot, scheduler, now)
                            .call(result -> completed(outcome, result, slot)));
                });
    }

    /**
     * A completed visit goes into the patient's visit history in Redis before the scheduler's 200, so that every
     * instance's next read sees it (issue 10 §5). After the commit, never instead of it: a write Redis does not take
     * leaves Redis behind, which PostgreSQL's checks of the follow-up rule catch (VisitHistories). A repeat writes
     * again, which is harmless (the history only moves forward) and mends a write lost the first time.
     */
    private Uni<Void> completed(VisitOutcome outcome, BookingJson result, SlotView slot) {
        return outcome == VisitOutcome.COMPLETE && result.status() == BookingStatus.COMPLETED
                ? histories.completed(result.patientId(), slot)
                : Uni.createFrom().voidItem();
    }

    private Uni<BookingJson> decide(VisitOutcome outcome, Booking booking, SlotView slot, String scheduler, Instant now) {
        if (booking.status == outcome.to()) {
            // A repeat (a retry after a lost answer, a second click): the booking as it is, no second event.
            return Uni.createFrom().item(BookingJson.of(booking, slot));
        }
        if (booking.status != outcome.from()) {
            throw invalidTransition(booking.status, outcome);
        }
        if (outcome.needsStartedSlot() && SlotStatus.at(slot, now) != SlotStatus.CLOSED) {
            throw invalidTransition(booking.status, outcome.to(), "invalid-transition.not-started", booking.status, slot.start(),
                    outcome.to());
        }
        return queries.move(outcome, booking.id, now, scheduler)
                .flatMap(moved -> moved != null
                        ? Uni.createFrom().item(BookingJson.of(moved, slot))
                        : queries.find(booking.id).map(current -> afterLostRace(outcome, current, slot)));
    }

    /** Another request moved the booking between our read and our UPDATE: answer from what it is now. */
    private static BookingJson afterLostRace(VisitOutcome outcome, Booking current, SlotView slot) {
        if (current.status == outcome.to()) {
            return BookingJson.of(current, slot); // the same move, made by a concurrent copy of this request
        }
        throw invalidTransition(current.status, outcome);
    }

    private static Problem invalidTransition(BookingStatus current, VisitOutcome outcome) {
        return invalidTransition(current, outcome.to(), current == BookingStatus.PENDING_PAYMENT
                ? "invalid-transition.unpaid" : "invalid-transition", current, outcome.to(), outcome.from());
    }

    /** 409 {@code invalid-transition}: the booking's status does not allow the change asked for. */
    public static Problem invalidTransition(BookingStatus current, BookingStatus requested, String detailKey, Object... args) {
        return Problem.of(409, "invalid-transition", detailKey, args)
                .with("currentStatus", current)
                .with("requestedStatus", requested);
    }
}
