package io.firstvisit.booking;

import io.firstvisit.common.HospitalTime;
import io.firstvisit.problem.Problem;
import io.firstvisit.inventory.Admission;
import io.firstvisit.inventory.SoldOutCache;
import io.firstvisit.patient.PatientCard;
import io.firstvisit.queue.WaitingRoom;
import io.firstvisit.patient.PatientDirectory;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotStatus;
import io.firstvisit.schedule.SlotView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The booking path. In order: the slot and the patient from caches (no PostgreSQL), the rules that need
 * no inventory (eligibility, release instant), the first-visit / follow-up rule on the patient's visit history
 * (cache/Redis, {@link VisitEligibility}), then ONE Redis script decides (already booked? seat left? take it),
 * and only winners reach PostgreSQL, through the group-commit writer, whose INSERT checks the follow-up rule again.
 *
 * <pre>
 *  parent ─▶ slot+patient (cache/Redis) ─▶ rules ─▶ visit history (cache/Redis) ─┬─ refused ─▶ 422 not-eligible (no seat)
 *                                                                                 ▼
 *                                                  reserve.lua ─┬─ SOLD_OUT / ALREADY_BOOKED ─▶ 409 (no DB)
 *                                                               └─ RESERVED(seat) ─▶ BookingWriter (batch INSERT)
 *                                                                      ├─ committed    ─▶ 201
 *                                                                      ├─ conflict     ─▶ seat back, 409 / replay
 *                                                                      ├─ not eligible ─▶ seat back, history rebuilt, 422
 *                                                                      └─ failed       ─▶ seat back (or reaper), 503
 * </pre>
 */
@ApplicationScoped
public class BookingService {

    private static final Logger LOG = Logger.getLogger(BookingService.class);
    private static final Duration RETRY_SOON = Duration.ofSeconds(1);
    private static final int LIST_LIMIT = 200;

    private final SlotDirectory slots;
    private final PatientDirectory patients;
    private final Seats seats;
    private final BookingWriter writer;
    private final BookingQueries queries;
    private final HospitalTime time;
    private final SoldOutCache soldOut;
    private final VisitEligibility eligibility;
    private final Duration paymentWindow;
    private final WaitingRoom waitingRoom;

    public BookingService(SlotDirectory slots, PatientDirectory patients, Seats seats, BookingWriter writer, BookingQueries queries,
                          HospitalTime time, SoldOutCache soldOut, VisitEligibility eligibility, BookingConfig config,
                          WaitingRoom waitingRoom) {
        this.waitingRoom = waitingRoom;
        this.paymentWindow = config.paymentWindow();
        this.soldOut = soldOut;
        this.eligibility = eligibility;
        this.slots = slots;
        this.patients = patients;
        this.seats = seats;
        this.writer = writer;
        this.queries = queries;
        this.time = time;
    }

    /**
     * Load shedding: past {@code value} attempts in flight on this instance, more are refused at once
     * (503 + Retry-After) instead of queueing until clients time out. Tunable without a rebuild:
     * {@code io.firstvisit.booking.BookingService/book/Bulkhead/value}.
     */
    @AsynchronousNonBlocking
    @Bulkhead(value = 2048, waitingTaskQueue = 1)
    @Timeout(8000) // one deadline for the whole attempt: the per-step budgets could otherwise add up past a client's patience
    public Uni<BookingJson> book(String account, UUID slotId, UUID patientId, UUID followUpOf, String idempotencyKey,
                                 String admissionTicket) {
        return slots.find(slotId)
                .flatMap(slot -> ownedPatient(account, patientId)
                        .flatMap(patient -> admit(account, slot, patient, followUpOf, idempotencyKey, admissionTicket, time.now())));
    }

    private Uni<PatientCard> ownedPatient(String account, UUID patientId) {
        return patients.find(patientId).map(card -> {
            if (!card.accountId().equals(account)) {
                throw PatientDirectory.notFound(); // another account's child does not exist for this caller
            }
            return card;
        });
    }

    private Uni<BookingJson> admit(String account, SlotView slot, PatientCard patient, UUID followUpOf, String idempotencyKey,
                                   String admissionTicket, Instant now) {
        BookingRules.check(slot, patient, now);
        eligibility.checkRequest(slot, followUpOf);
        UUID bookingId = bookingId(account, idempotencyKey);
        // A QUEUE release's gate (issue 11 §1), after the release instant (not-open first) and before anything else:
        // without an admitted ticket an attempt costs the inventory nothing. The ticket is usually in this
        // instance's memory, so the gate costs no round trip.
        Uni<Void> admitted = slot.admission().queued()
                ? waitingRoom.checkPass(account, admissionTicket, slot)
                : Uni.createFrom().voidItem();
        // The visit history before the sold-out mark: a patient the rule refuses hears 422 whether or not places
        // are left, so the app can tell the family why instead of inviting a retry at the next release. It costs a
        // full slot's crowd one Redis read per patient per cache period (VisitHistories), not one per attempt.
        return admitted.chain(() -> eligibility.admit(slot, patient.id(), followUpOf))
                .invoke(() -> {
                    // The crowd's usual answer at the release minute, without a Redis round trip. Not for a keyed
                    // retry: its own earlier attempt may hold a seat here (committed after its answer was lost),
                    // and only reserve.lua can recognise it; a stored "sold-out" would then stick to that key.
                    if (idempotencyKey == null && soldOut.isFull(slot.id())) {
                        throw soldOutProblem();
                    }
                })
                .chain(() -> seats.reserve(slot, patient.id(), bookingId, account, now, null))
                .flatMap(admission -> {
                    if (admission instanceof Admission.Reserved reserved) {
                        if (reserved.remaining() == 0) {
                            soldOut.markFull(slot.id());
                        }
                        return commit(NewBooking.of(bookingId, slot, reserved.seat(), patient.id(), account, idempotencyKey, now,
                                paymentWindow, followUpOf));
                    }
                    if (admission instanceof Admission.AlreadyBooked && idempotencyKey != null) {
                        return replayOrAlreadyBooked(account, idempotencyKey, slot, patient.id(), followUpOf);
                    }
                    throw seats.refusal(admission, slot);
                });
    }

    /** Redis may have lost the idempotency key but not the booking: a repeat finds its own booking. */
    private Uni<BookingJson> replayOrAlreadyBooked(String account, String idempotencyKey, SlotView slot, UUID patientId, UUID followUpOf) {
        return findByIdempotencyKey(account, idempotencyKey, slot, patientId, followUpOf).map(replay -> {
            if (replay == null) {
                throw alreadyBooked();
            }
            return replay;
        });
    }

    /**
     * Cancels one of the account's bookings (confirmed, or waiting for its payment) until its slot starts;
     * the place goes back to the inventory at once. The answer says whether a refund is due (it was paid).
     * Cancelling again answers the same; a cancelled or expired booking is answered as it is. A booking whose
     * visit the hospital recorded (checked in, completed, no-show) cannot be cancelled, whatever the time.
     */
    public Uni<BookingJson> cancel(String account, UUID bookingId) {
        Instant now = time.now();
        return owned(account, bookingId).flatMap(booking -> slots.find(booking.slotId).flatMap(slot -> {
            if (!booking.status.awaitsVisit()) {
                return Uni.createFrom().item(notCancelled(booking, slot));
            }
            if (SlotStatus.at(slot, now) == SlotStatus.CLOSED) {
                throw Problem.of(409, "cancellation-closed", "cancellation-closed");
            }
            return queries.cancel(bookingId, now).flatMap(cancelled -> cancelled == null
                    ? owned(account, bookingId).map(again -> notCancelled(again, slot)) // changed concurrently
                    : seats.release(slot, bookingId, booking.patientId, true, null).replaceWith(BookingJson.of(cancelled, slot)));
        }));
    }

    /**
     * Accepts a waitlist offer on a free slot (OFFERED → CONFIRMED) before its {@code offerExpiresAt}. Accepting again
     * answers the booking; an offer on a paid slot is accepted by paying it (409 {@code payment-required}); one past its
     * deadline is 409 {@code offer-expired} (its place has passed, or is passing, to the next entry).
     */
    public Uni<BookingJson> accept(String account, UUID bookingId) {
        Instant now = time.now();
        return owned(account, bookingId).flatMap(booking -> slots.find(booking.slotId).flatMap(slot -> {
            if (booking.status == BookingStatus.OFFERED) {
                if (!now.isBefore(booking.holdExpiresAt)) {
                    throw offerExpired();
                }
                return queries.accept(account, bookingId, now).flatMap(accepted -> accepted == null
                        ? owned(account, bookingId).map(again -> notAccepted(again, slot)) // expired or cancelled meanwhile
                        : Uni.createFrom().item(BookingJson.of(accepted, slot)));
            }
            return Uni.createFrom().item(notAccepted(booking, slot));
        }));
    }

    /** A booking accept did not change: a taken offer as it is, anything else refused. */
    private static BookingJson notAccepted(Booking booking, SlotView slot) {
        if (booking.waitlistEntryId != null && booking.status != BookingStatus.OFFERED) {
            if (booking.status == BookingStatus.PENDING_PAYMENT) {
                throw Problem.of(409, "payment-required", "payment-required");
            }
            if (booking.status == BookingStatus.EXPIRED) {
                throw offerExpired();
            }
            if (booking.status != BookingStatus.CANCELLED && booking.status != BookingStatus.CANCELLED_BY_HOSPITAL) {
                return BookingJson.of(booking, slot); // accepted already (or since moved on in its life)
            }
        }
        if (booking.status == BookingStatus.OFFERED) {
            throw offerExpired();
        }
        throw VisitOutcomes.invalidTransition(booking.status, BookingStatus.CONFIRMED, "invalid-transition.not-offered", booking.status);
    }

    static Problem offerExpired() {
        return Problem.of(409, "offer-expired", "offer-expired");
    }

    /** A booking cancel did not change: as it is, unless the hospital recorded its visit (then 409). */
    private static BookingJson notCancelled(Booking booking, SlotView slot) {
        if (booking.status.hasVisitOutcome()) {
            throw VisitOutcomes.invalidTransition(booking.status, BookingStatus.CANCELLED, "invalid-transition.visit-recorded",
                    booking.status);
        }
        return BookingJson.of(booking, slot);
    }

    /** Any booking, as the hospital's schedulers and systems see it. */
    public Uni<BookingJson> findAny(UUID bookingId) {
        return Panache.withSession(() -> Booking.<Booking>findById(bookingId)).flatMap(booking -> {
            if (booking == null) {
                throw notFound();
            }
            return slots.find(booking.slotId).map(slot -> BookingJson.of(booking, slot));
        });
    }

    public Uni<BookingJson> find(String account, UUID bookingId) {
        return owned(account, bookingId).flatMap(booking -> slots.find(booking.slotId).map(slot -> BookingJson.of(booking, slot)));
    }

    /** The account's bookings, newest first, optionally for one of its patients. */
    public Uni<java.util.List<BookingJson>> list(String account, UUID patientId) {
        Uni<java.util.List<Booking>> rows = patientId == null
                ? Panache.withSession(() -> Booking.<Booking>find("accountId = ?1 order by createdAt desc", account).page(0, LIST_LIMIT).list())
                : ownedPatient(account, patientId).flatMap(p -> Panache.withSession(() -> Booking.<Booking>find(
                        "accountId = ?1 and patientId = ?2 order by createdAt desc", account, patientId).page(0, LIST_LIMIT).list()));
        return rows.flatMap(bookings -> bookings.isEmpty()
                ? Uni.createFrom().item(java.util.List.of())
                : Uni.join().all(bookings.stream().map(b -> slots.find(b.slotId).map(slot -> BookingJson.of(b, slot))).toList()).andFailFast());
    }

    private Uni<Booking> owned(String account, UUID bookingId) {
        return Panache.withSession(() -> Booking.<Booking>find("id = ?1 and accountId = ?2", bookingId, account).firstResult())
                .map(booking -> {
                    if (booking == null) {
                        throw notFound();
                    }
                    return booking;
                });
    }

    public static Problem notFound() {
        return Problem.notFound("booking-not-found");
    }

    /**
     * The booking's id is also its reservation's. With an Idempotency-Key it is derived from the key,
     * so a retry of an attempt whose answer was lost finds its own reservation instead of "already booked".
     */
    static UUID bookingId(String account, String idempotencyKey) {
        return idempotencyKey == null
                ? UUID.randomUUID()
                : UUID.nameUUIDFromBytes(("booking\u0000" + account + "\u0000" + idempotencyKey).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Uni<BookingJson> commit(NewBooking booking) {
        return writer.write(booking)
                .onFailure().call(failure -> releaseIfNeverCommitted(booking, failure))
                .onFailure(f -> !(f instanceof Problem)).transform(f -> {
                    LOG.warnf("Booking %s not committed: %s", booking.id(), f.toString());
                    return Problem.unavailable("not-saved", RETRY_SOON);
                })
                .flatMap(outcome -> switch (outcome) {
                    case COMMITTED -> confirmed(booking);
                    // The hospital cancelled the slot while this seat was on its way to PostgreSQL.
                    case SLOT_CANCELLED -> release(booking, true).replaceWith(Uni.createFrom().failure(slotCancelled()));
                    // PostgreSQL's guard of the follow-up rule: the visit history this attempt was admitted on was behind.
                    case NOT_ELIGIBLE -> release(booking, true)
                            .chain(() -> eligibility.refusedByDatabase(booking))
                            .flatMap(problem -> Uni.createFrom().<BookingJson>failure(problem));
                    case CONFLICT -> resolveConflict(booking);
                });
    }

    private Uni<BookingJson> confirmed(NewBooking booking) {
        // The 201 does not wait for Redis to hear of the commit.
        seats.confirmInBackground(booking.slot(), booking.id());
        return Uni.createFrom().item(BookingJson.of(booking.row(), booking.slot()));
    }

    /**
     * I3 for failures we are sure of: the statement never ran or was rolled back, so the seat goes back
     * now. A timeout or a dropped connection may still commit: that seat waits for the reaper, which
     * asks PostgreSQL before returning it.
     */
    private Uni<Void> releaseIfNeverCommitted(NewBooking booking, Throwable failure) {
        boolean neverCommitted = failure instanceof Problem || failure instanceof CircuitBreakerOpenException
                || BookingWriter.isDataError(failure);
        if (!neverCommitted) {
            return Uni.createFrom().voidItem();
        }
        return release(booking, true);
    }

    /** PostgreSQL refused the row on a unique index: find out which, and answer accordingly. */
    private Uni<BookingJson> resolveConflict(NewBooking booking) {
        return queries.conflicts(booking).flatMap(rows -> classify(booking, rows));
    }

    private Uni<BookingJson> classify(NewBooking booking, List<Booking> rows) {
        Booking sameKey = null;
        Booking samePatient = null;
        for (Booking row : rows) {
            if (booking.idempotencyKey() != null && booking.idempotencyKey().equals(row.idempotencyKey)
                    && booking.accountId().equals(row.accountId)) {
                sameKey = row;
            } else if (booking.patientId().equals(row.patientId)) {
                samePatient = row;
            }
        }
        if (sameKey != null && sameKey.id.equals(booking.id())) {
            // Our own earlier attempt committed and its answer was lost: same booking. Its seat is the one
            // we hold, unless it was cancelled (or its hold expired) since: then the seat we just took goes back.
            BookingJson existing = BookingJson.of(sameKey, booking.slot());
            return sameKey.status.holdsSeat()
                    ? Uni.createFrom().item(existing)
                    : release(booking, true).replaceWith(existing);
        }
        if (sameKey != null) {
            Booking existing = sameKey;
            if (!existing.slotId.equals(booking.slot().id()) || !existing.patientId.equals(booking.patientId())
                    || !Objects.equals(existing.followUpOf, booking.followUpOf())) {
                return release(booking, true).replaceWith(Uni.createFrom().failure(reused()));
            }
            return release(booking, true).replaceWith(() -> BookingJson.of(existing, booking.slot()));
        }
        if (samePatient != null) {
            return release(booking, true).replaceWith(Uni.createFrom().failure(alreadyBooked()));
        }
        // The seat Redis handed out is held in PostgreSQL by another booking: Redis drifted (e.g. it was
        // rebuilt while a commit was in flight). Never hand that seat out again; the reconciler repairs counts.
        LOG.warnf("Seat %d of slot %s is already held in PostgreSQL; dropping it from Redis", booking.seat(), booking.slot().id());
        return release(booking, false).replaceWith(Uni.createFrom().failure(
                Problem.unavailable("not-confirmed", RETRY_SOON)));
    }

    private Uni<BookingJson> findByIdempotencyKey(String account, String idempotencyKey, SlotView slot, UUID patientId,
                                                  UUID followUpOf) {
        return queries.activeByKey(account, idempotencyKey).map(row -> {
            if (row == null) {
                return null;
            }
            if (!row.slotId.equals(slot.id()) || !row.patientId.equals(patientId) || !Objects.equals(row.followUpOf, followUpOf)) {
                throw reused();
            }
            return BookingJson.of(row, slot);
        });
    }

    private Uni<Void> release(NewBooking booking, boolean returnSeat) {
        return seats.release(booking.slot(), booking.id(), booking.patientId(), returnSeat, null);
    }

    static Problem soldOutProblem() {
        return Problem.of(409, "sold-out", "sold-out");
    }

    static Problem slotCancelled() {
        return Problem.of(409, "slot-cancelled", "slot-cancelled");
    }

    static Problem alreadyBooked() {
        return Problem.of(409, "already-booked", "already-booked");
    }

    static Problem reused() {
        return Problem.of(422, "idempotency-key-reused", "idempotency-key-reused");
    }

}
