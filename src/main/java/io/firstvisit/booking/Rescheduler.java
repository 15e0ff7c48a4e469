package io.firstvisit.booking;

import io.firstvisit.common.HospitalTime;
import io.firstvisit.problem.Problem;
import io.firstvisit.inventory.Admission;
import io.firstvisit.patient.PatientDirectory;
import io.firstvisit.queue.WaitingRoom;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotView;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Moves a booking that holds its place to another slot of the same hospital and department (issue 10 §2).
 * Atomic for the parent: the new seat is taken in Redis first (reserve.lua decides, as for any booking);
 * then ONE PostgreSQL transaction turns the old row RESCHEDULED and writes the new one, keeping status,
 * fee, hold and payment; only then does the old seat go back. If the transaction does not happen (the old
 * booking was moved or cancelled meanwhile, or PostgreSQL failed), the new seat goes back and the old
 * booking is untouched. Two moves of one booking racing each other: the old row's conditional UPDATE lets
 * one win, so there is never more than one booking holding a place.
 */
@ApplicationScoped
public class Rescheduler {

    private static final Logger LOG = Logger.getLogger(Rescheduler.class);
    private static final Duration RETRY_SOON = Duration.ofSeconds(1);

    private final SlotDirectory slots;
    private final PatientDirectory patients;
    private final Seats seats;
    private final BookingQueries queries;
    private final HospitalTime time;
    private final Duration cutoff;

    private final WaitingRoom waitingRoom;

    public Rescheduler(SlotDirectory slots, PatientDirectory patients, Seats seats, BookingQueries queries, HospitalTime time,
                       BookingConfig config, WaitingRoom waitingRoom) {
        this.waitingRoom = waitingRoom;
        this.slots = slots;
        this.patients = patients;
        this.seats = seats;
        this.queries = queries;
        this.time = time;
        this.cutoff = config.changeCutoff();
    }

    public Uni<BookingJson> reschedule(String account, UUID bookingId, UUID targetSlotId, String idempotencyKey,
                                       String admissionTicket) {
        Instant now = time.now();
        UUID movedId = movedId(account, bookingId, idempotencyKey);
        return queries.owned(account, bookingId).flatMap(old -> {
            if (old == null) {
                throw BookingService.notFound();
            }
            if (old.status == BookingStatus.RESCHEDULED && movedId.equals(old.rescheduledTo)) {
                return replay(account, movedId); // this very move committed and its answer was lost
            }
            return slots.find(old.slotId).flatMap(from -> slots.find(targetSlotId).flatMap(to -> move(old, from, to, movedId, admissionTicket, now)));
        });
    }

    private Uni<BookingJson> move(Booking old, SlotView from, SlotView to, UUID movedId, String admissionTicket, Instant now) {
        if (!old.status.movable()) {
            throw Problem.of(409, "not-active", old.status == BookingStatus.OFFERED ? "not-active.offered" : "not-active", old.status);
        }
        if (!now.isBefore(from.start().toInstant().minus(cutoff))) {
            throw Problem.of(409, "change-closed", "change-closed", cutoff.toMinutes());
        }
        checkTarget(from, to);
        return patients.find(old.patientId).flatMap(patient -> {
            BookingRules.check(to, patient, now);
            boolean sameDay = to.day().equals(from.day());
            // Into a QUEUE release from another day is a booking there: it passes the waiting room's gate like one.
            // Within the day the patient already holds a place that came through it.
            Uni<Void> admitted = to.admission().queued() && !sameDay
                    ? waitingRoom.checkPass(old.accountId, admissionTicket, to)
                    : Uni.createFrom().voidItem();
            return admitted.chain(() -> seats.reserve(to, old.patientId, movedId, old.accountId, now, sameDay ? old.id : null))
                    .flatMap(admission -> admission instanceof Admission.Reserved reserved
                            ? commit(old, from, to, moved(old, to, movedId, reserved.seat()), sameDay, now)
                            : Uni.createFrom().failure(seats.refusal(admission, to)));
        });
    }

    private Uni<BookingJson> commit(Booking old, SlotView from, SlotView to, Booking moved, boolean sameDay, Instant now) {
        return queries.reschedule(old, moved, now)
                .onFailure().recoverWithUni(failure -> failed(to, moved, failure))
                .flatMap(committed -> committed == null
                        ? lostTheRace(old, from, to, moved, sameDay)
                        : settled(old, from, to, committed, sameDay));
    }

    /** The move committed: Redis hears of it, and the old seat goes back (the patient's hold passes on). */
    private Uni<BookingJson> settled(Booking old, SlotView from, SlotView to, Booking committed, boolean sameDay) {
        seats.confirmInBackground(to, committed.id);
        return seats.release(from, old.id, old.patientId, true, sameDay ? committed.id : null).replaceWith(BookingJson.of(committed, to));
    }

    /**
     * The old row no longer awaited its visit. Either this very move committed already (a copy of the same
     * request, with the same key, whose answer was lost): then it is settled and replayed, and its seat is
     * certainly not given back; or another move or a cancellation won: then our new seat goes back.
     */
    private Uni<BookingJson> lostTheRace(Booking old, SlotView from, SlotView to, Booking moved, boolean sameDay) {
        return queries.owned(old.accountId, old.id).flatMap(now -> {
            if (now != null && moved.id.equals(now.rescheduledTo)) {
                return queries.owned(old.accountId, moved.id).flatMap(committed -> settled(old, from, to, committed, sameDay));
            }
            return seats.release(to, moved.id, moved.patientId, true, null).replaceWith(Uni.createFrom().failure(
                    Problem.of(409, "not-active", "not-active.meanwhile")));
        });
    }

    /**
     * The transaction did not commit. A refused row says which rule: the patient's day (the seat goes
     * back) or the seat itself, held in PostgreSQL by another booking (Redis drifted: never hand that seat
     * out again; the reconciler repairs the count). A commit whose fate is unknown (a timeout) leaves the
     * seat to the reaper, which asks PostgreSQL first.
     */
    private Uni<Booking> failed(SlotView to, Booking moved, Throwable failure) {
        if (failure instanceof Problem problem) {
            return seats.release(to, moved.id, moved.patientId, true, null).replaceWith(Uni.createFrom().failure(problem));
        }
        if (failure instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            boolean seatTaken = String.valueOf(pg.getErrorMessage()).contains("booking_active_seat");
            return seats.release(to, moved.id, moved.patientId, !seatTaken, null).replaceWith(Uni.createFrom().failure(seatTaken
                    ? Problem.unavailable("not-confirmed", RETRY_SOON)
                    : BookingService.alreadyBooked()));
        }
        LOG.warnf("Reschedule of %s into %s not committed: %s", moved.rescheduledFrom, moved.id, failure.toString());
        Uni<Void> giveBack = failure instanceof PgException ? seats.release(to, moved.id, moved.patientId, true, null) : Uni.createFrom().voidItem();
        return giveBack.replaceWith(Uni.createFrom().failure(Problem.unavailable("not-moved", RETRY_SOON)));
    }

    private Uni<BookingJson> replay(String account, UUID movedId) {
        return queries.owned(account, movedId).flatMap(moved -> slots.find(moved.slotId).map(slot -> BookingJson.of(moved, slot)));
    }

    /** The same hospital and department, the same kind of visit and fee, another slot. */
    private static void checkTarget(SlotView from, SlotView to) {
        String reason = null;
        if (to.id().equals(from.id())) {
            reason = "same-slot";
        } else if (!to.hospital().equals(from.hospital()) || !to.department().equals(from.department())) {
            reason = "other-department";
        } else if (to.visitType() != from.visitType()) {
            reason = "other-visit-type";
        } else if (to.fee() != from.fee()) {
            reason = "other-fee";
        }
        if (reason != null) {
            throw Problem.of(422, "invalid-target", "invalid-target." + reason, to.fee(), from.fee()).with("reason", reason);
        }
    }

    /** Where the new row goes (its slot and seat); status, hold and payment come from the old row as MOVE_TO locks it. */
    private static Booking moved(Booking old, SlotView to, UUID id, int seat) {
        Booking b = new Booking();
        b.id = id;
        b.slotId = to.id();
        b.slotCapacity = to.capacity();
        b.seat = seat;
        b.patientId = old.patientId;
        b.departmentId = to.departmentId();
        b.visitDate = to.date();
        b.rescheduledFrom = old.id;
        return b;
    }

    /** With an Idempotency-Key the new booking's id derives from it, so a retry finds its own seat and row. */
    static UUID movedId(String account, UUID bookingId, String idempotencyKey) {
        return idempotencyKey == null
                ? UUID.randomUUID()
                : UUID.nameUUIDFromBytes(("reschedule\u0000" + account + "\u0000" + bookingId + "\u0000" + idempotencyKey)
                        .getBytes(StandardCharsets.UTF_8));
    }
}
