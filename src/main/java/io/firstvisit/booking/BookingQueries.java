package io.firstvisit.booking;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The booking path's SQL beyond the group-commit INSERT ({@link BookingWriter}). Rows that hold a seat are
 * those with {@code active} (a generated column, {@link BookingStatus#holdsSeat()}), never a list of statuses.
 * Every status change here carries its audit line in the same statement; its event is written by the
 * table's trigger (V4), in the same transaction.
 */
@ApplicationScoped
public class BookingQueries {

    static final String COLUMNS = "id, slot_id, slot_capacity, seat, patient_id, account_id, department_id, visit_date, status, "
            + "idempotency_key, created_at, cancelled_at, fee, hold_expires_at, paid_at, payment_id, expired_at, rescheduled_to, "
            + "rescheduled_from, cancel_reason, checked_in_at, completed_at, no_show_at, follow_up_of, waitlist_entry_id";

    /** {@link BookingStatus#awaitsVisit()} as SQL's {@code status = ANY($n)} reads it: the list has one home, the enum. */
    static final String[] AWAITING_VISIT = Arrays.stream(BookingStatus.values())
            .filter(BookingStatus::awaitsVisit).map(Enum::name).toArray(String[]::new);

    /** {@link BookingStatus#movable()} for SQL, as {@link #AWAITING_VISIT}. */
    static final String[] MOVABLE = Arrays.stream(BookingStatus.values())
            .filter(BookingStatus::movable).map(Enum::name).toArray(String[]::new);

    /** {@link BookingStatus#expires()} for SQL, as {@link #AWAITING_VISIT}. */
    static final String[] EXPIRING = Arrays.stream(BookingStatus.values())
            .filter(BookingStatus::expires).map(Enum::name).toArray(String[]::new);

    /**
     * Only a booking still waiting for its visit: since V6 {@code active} also covers CHECKED_IN, COMPLETED and
     * NO_SHOW (their seat is used), and a visit the hospital recorded must not be cancelled by a family's
     * request racing the scheduler's.
     */
    private static final String CANCEL = """
            WITH cancelled AS (
                UPDATE booking SET status = 'CANCELLED', cancelled_at = $2
                 WHERE id = $1 AND status = ANY($3)
                RETURNING %s
            ), audited AS (
                INSERT INTO booking_audit (booking_id, slot_id, account_id, action, reason)
                SELECT id, slot_id, account_id, 'CANCELLED', 'cancelled by the account; seat ' || seat || ' returned'
                       || CASE WHEN paid_at IS NOT NULL THEN '; refund due' ELSE '' END
                  FROM cancelled
            )
            SELECT * FROM cancelled
            """.formatted(COLUMNS);

    /** Who holds what the refused row wanted: the patient's day, the seat, or the same Idempotency-Key. */
    private static final String CONFLICTS = """
            SELECT %1$s FROM booking
             WHERE active AND ((patient_id = $1 AND department_id = $2 AND visit_date = $3) OR (slot_id = $4 AND seat = $5))
            UNION ALL
            SELECT %1$s FROM booking WHERE account_id = $6 AND idempotency_key = $7
            """.formatted(COLUMNS);

    private static final String ACTIVE_BY_KEY = "SELECT " + COLUMNS + " FROM booking WHERE account_id = $1 AND idempotency_key = $2 AND active";

    /**
     * Unpaid holds and untaken waitlist offers past their deadline become EXPIRED. SKIP LOCKED: a hold whose
     * payment (or an offer whose acceptance) is being recorded right now is left to the next sweep, which then
     * finds it CONFIRMED; every instance may run this.
     */
    private static final String EXPIRE_DUE = """
            WITH due AS (
                SELECT id FROM booking
                 WHERE status = ANY($3) AND hold_expires_at <= $1
                 ORDER BY hold_expires_at
                 LIMIT $2
                 FOR UPDATE SKIP LOCKED
            ), expired AS (
                UPDATE booking b SET status = 'EXPIRED', expired_at = $1
                  FROM due WHERE b.id = due.id AND b.status = ANY($3)
                RETURNING b.id, b.slot_id, b.seat, b.patient_id, b.account_id, b.hold_expires_at, b.fee
            ), audited AS (
                INSERT INTO booking_audit (booking_id, slot_id, account_id, action, reason)
                SELECT id, slot_id, account_id, 'HOLD_EXPIRED', CASE WHEN fee = 0 THEN 'offer not accepted by ' ELSE 'not paid by ' END
                       || hold_expires_at || '; seat ' || seat || ' returned'
                  FROM expired
            )
            SELECT id, slot_id, patient_id FROM expired
            """;

    /** The moved booking lets go of its seat only if it still holds one: a second move of it finds nothing. */
    private static final String MOVE_AWAY = """
            WITH moved AS (
                UPDATE booking SET status = 'RESCHEDULED', rescheduled_to = $2, rescheduled_at = $3
                 WHERE id = $1 AND status = ANY($4)
                RETURNING %s
            ), audited AS (
                INSERT INTO booking_audit (booking_id, slot_id, account_id, action, reason)
                SELECT id, slot_id, account_id, 'RESCHEDULED', 'moved to booking ' || $2 || '; seat ' || seat || ' returned' FROM moved
            )
            SELECT * FROM moved
            """.formatted(COLUMNS);

    /**
     * The target slot first, FOR SHARE: ordered against a cancellation of it as the booking writer's INSERT
     * is, and taken before the booking row so that a cancellation (slot rows, then bookings) and a move
     * lock in the same order and cannot deadlock.
     */
    private static final String LOCK_OPEN_SLOT = "SELECT id FROM slot WHERE id = $1 AND cancelled_at IS NULL FOR SHARE";

    /** What the moved-away row holds now (status, hold, payment: a payment may have landed meanwhile) moves with it. */
    private static final String MOVE_TO = """
            WITH moved AS (
                INSERT INTO booking (id, slot_id, slot_capacity, seat, patient_id, account_id, department_id, visit_date, status,
                                     created_at, fee, hold_expires_at, paid_at, payment_id, rescheduled_from, follow_up_of)
                SELECT $1, $2, $3, $4, b.patient_id, b.account_id, $5, $6, b.status_before, $7, b.fee, b.hold_expires_at,
                       b.paid_at, b.payment_id, b.id, b.follow_up_of
                  FROM (SELECT id, patient_id, account_id, fee, hold_expires_at, paid_at, payment_id, follow_up_of,
                               $8::text AS status_before
                          FROM booking WHERE id = $9) AS b
                RETURNING %s
            ), audited AS (
                INSERT INTO booking_audit (booking_id, slot_id, account_id, action, reason)
                SELECT id, slot_id, account_id, 'BOOKED', 'seat ' || seat || ' taken by moving booking ' || rescheduled_from FROM moved
            )
            SELECT * FROM moved
            """.formatted(COLUMNS);

    private static final String OWNED = "SELECT " + COLUMNS + " FROM booking WHERE id = $1 AND account_id = $2";

    /**
     * A waitlist offer on a free slot accepted before its deadline. Under the row lock, like a payment: the hold sweep
     * (SKIP LOCKED) and this cannot both move the offer, and an offer past its deadline is never confirmed.
     */
    private static final String ACCEPT = """
            WITH accepted AS (
                UPDATE booking SET status = 'CONFIRMED'
                 WHERE id = $1 AND account_id = $2 AND status = 'OFFERED' AND hold_expires_at > $3
                RETURNING %s
            ), audited AS (
                INSERT INTO booking_audit (booking_id, slot_id, account_id, action, reason)
                SELECT id, slot_id, account_id, 'OFFER_ACCEPTED', 'waitlist offer accepted; seat ' || seat || ' confirmed' FROM accepted
            )
            SELECT * FROM accepted
            """.formatted(COLUMNS);

    private final Pool pool;

    public BookingQueries(Pool pool) {
        this.pool = pool;
    }

    /** A hold that expired: its seat goes back to the inventory. */
    public record Expired(UUID bookingId, UUID slotId, UUID patientId) {
    }

    /** The cancelled row, or null when the booking no longer waited for its visit (cancelled, expired or checked in meanwhile). */
    public Uni<Booking> cancel(UUID bookingId, Instant now) {
        return pool.preparedQuery(CANCEL).execute(Tuple.of(bookingId, now.atOffset(ZoneOffset.UTC), AWAITING_VISIT))
                .map(BookingQueries::first);
    }

    /** The accepted offer, or null when it was not an OFFERED booking of the account before its deadline. */
    public Uni<Booking> accept(String account, UUID bookingId, Instant now) {
        return pool.preparedQuery(ACCEPT).execute(Tuple.of(bookingId, account, now.atOffset(ZoneOffset.UTC))).map(BookingQueries::first);
    }

    /** One of the account's bookings, or null (another account's booking does not exist for it). */
    public Uni<Booking> owned(String account, UUID bookingId) {
        return pool.preparedQuery(OWNED).execute(Tuple.of(bookingId, account)).map(BookingQueries::first);
    }

    /**
     * Moves {@code from} into {@code to}'s slot and seat in one transaction: the new row, or null when
     * {@code from} no longer awaited its visit (another move or a cancellation won). The new row takes the
     * status, hold and payment the old row has at that moment, under its lock, not as read earlier. Fails
     * with slot-cancelled (rolling back) when the target slot is cancelled.
     */
    public Uni<Booking> reschedule(Booking from, Booking to, Instant now) {
        return pool.withTransaction(connection -> connection.preparedQuery(LOCK_OPEN_SLOT).execute(Tuple.of(to.slotId))
                .flatMap(open -> {
                    if (open.size() == 0) {
                        throw BookingService.slotCancelled();
                    }
                    return connection.preparedQuery(MOVE_AWAY).execute(Tuple.of(from.id, to.id, now.atOffset(ZoneOffset.UTC), MOVABLE));
                })
                .flatMap(movedAway -> {
                    Booking before = first(movedAway);
                    if (before == null) {
                        return Uni.createFrom().nullItem();
                    }
                    return connection.preparedQuery(MOVE_TO).execute(Tuple.tuple(Arrays.<Object>asList(to.id, to.slotId, to.slotCapacity,
                                    to.seat, to.departmentId, to.visitDate, now.atOffset(ZoneOffset.UTC), statusBefore(before), from.id)))
                            .map(BookingQueries::first);
                }));
    }

    /** MOVE_AWAY returns the row as updated (RESCHEDULED); what it was is what the new row continues. */
    private static String statusBefore(Booking movedAway) {
        return movedAway.paidAt != null || movedAway.fee == 0 ? BookingStatus.CONFIRMED.name() : BookingStatus.PENDING_PAYMENT.name();
    }

    public Uni<List<Booking>> conflicts(NewBooking booking) {
        return pool.preparedQuery(CONFLICTS)
                .execute(Tuple.tuple(Arrays.<Object>asList(booking.patientId(), booking.slot().departmentId(), booking.slot().date(),
                        booking.slot().id(), booking.seat(), booking.accountId(), booking.idempotencyKey())))
                .map(BookingQueries::all);
    }

    public Uni<Booking> activeByKey(String account, String idempotencyKey) {
        return pool.preparedQuery(ACTIVE_BY_KEY).execute(Tuple.of(account, idempotencyKey)).map(BookingQueries::first);
    }

    public Uni<List<Expired>> expireDue(Instant now, int limit) {
        return pool.preparedQuery(EXPIRE_DUE).execute(Tuple.of(now.atOffset(ZoneOffset.UTC), limit, EXPIRING)).map(rows -> {
            List<Expired> expired = new ArrayList<>(rows.size());
            for (Row row : rows) {
                expired.add(new Expired(row.getUUID("id"), row.getUUID("slot_id"), row.getUUID("patient_id")));
            }
            return expired;
        });
    }

    /** The booking row locked for this transaction (a payment deciding it), or null. */
    public static Uni<Booking> lock(SqlConnection connection, UUID bookingId) {
        return connection.preparedQuery("SELECT " + COLUMNS + " FROM booking WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(bookingId)).map(BookingQueries::first);
    }

    static Booking first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : booking(rows.iterator().next());
    }

    static List<Booking> all(RowSet<Row> rows) {
        List<Booking> bookings = new ArrayList<>(rows.size());
        rows.forEach(row -> bookings.add(booking(row)));
        return bookings;
    }

    /** A row of {@link #COLUMNS} as the entity the rest of the code reads. */
    static Booking booking(Row row) {
        Booking b = new Booking();
        b.id = row.getUUID("id");
        b.slotId = row.getUUID("slot_id");
        b.seat = row.getInteger("seat");
        b.slotCapacity = row.getInteger("slot_capacity");
        b.patientId = row.getUUID("patient_id");
        b.accountId = row.getString("account_id");
        b.departmentId = row.getUUID("department_id");
        b.visitDate = row.getLocalDate("visit_date");
        b.status = BookingStatus.valueOf(row.getString("status"));
        b.idempotencyKey = row.getString("idempotency_key");
        b.createdAt = instant(row.getOffsetDateTime("created_at"));
        b.cancelledAt = instant(row.getOffsetDateTime("cancelled_at"));
        b.fee = row.getInteger("fee");
        b.holdExpiresAt = instant(row.getOffsetDateTime("hold_expires_at"));
        b.paidAt = instant(row.getOffsetDateTime("paid_at"));
        b.paymentId = row.getString("payment_id");
        b.expiredAt = instant(row.getOffsetDateTime("expired_at"));
        b.rescheduledTo = row.getUUID("rescheduled_to");
        b.rescheduledFrom = row.getUUID("rescheduled_from");
        b.cancelReason = row.getString("cancel_reason");
        b.checkedInAt = instant(row.getOffsetDateTime("checked_in_at"));
        b.completedAt = instant(row.getOffsetDateTime("completed_at"));
        b.noShowAt = instant(row.getOffsetDateTime("no_show_at"));
        b.followUpOf = row.getUUID("follow_up_of");
        b.waitlistEntryId = row.getUUID("waitlist_entry_id");
        return b;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
