package io.firstvisit.waitlist;

import io.firstvisit.booking.BookingStatus;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.inventory.DepartmentDay;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The waitlist's SQL (V11). Entries are ordered by {@code seq}; the offer's booking row carries the entry's id. */
@ApplicationScoped
public class WaitlistQueries {

    /** An entry as the API shows it: its codes, its position while WAITING, its offer's booking status and deadline. */
    private static final String VIEW = """
            SELECT w.id, h.code AS hospital, dep.code AS department, w.visit_date, w.patient_id, w.state, w.created_at,
                   w.offered_at, w.booking_id, w.left_at, w.closed_reason, b.status AS offer_status, b.hold_expires_at,
                   CASE WHEN w.state = 'WAITING' THEN
                       (SELECT count(*) FROM waitlist_entry o
                         WHERE o.department_id = w.department_id AND o.visit_date = w.visit_date
                           AND o.state = 'WAITING' AND o.seq <= w.seq) END AS position
              FROM waitlist_entry w
              JOIN department dep ON dep.id = w.department_id
              JOIN hospital h ON h.id = dep.hospital_id
              LEFT JOIN booking b ON b.id = w.booking_id
            """;

    private static final String OWNED = VIEW + " WHERE w.id = $1 AND w.account_id = $2";

    private static final String OF_ACCOUNT = VIEW + " WHERE w.account_id = $1 ORDER BY w.created_at DESC, w.seq DESC LIMIT $2";

    /** The rules a join must pass that PostgreSQL knows: the patient's place that day, the account's places and entries. */
    private static final String HOLDINGS = """
            SELECT EXISTS (SELECT 1 FROM booking WHERE patient_id = $1 AND department_id = $2 AND visit_date = $3 AND active)
                       AS patient_booked,
                   (SELECT count(*) FROM booking WHERE account_id = $4 AND department_id = $2 AND visit_date = $3 AND active)
                 + (SELECT count(*) FROM waitlist_entry WHERE account_id = $4 AND department_id = $2 AND visit_date = $3
                                                          AND state = 'WAITING' AND patient_id <> $1) AS account_holds
            """;

    /**
     * One WAITING entry per patient per department-day: a second join finds the first (the unique index decides
     * between two racing joins). {@code created} tells a new entry from the one found.
     */
    private static final String JOIN = """
            WITH joined AS (
                INSERT INTO waitlist_entry (id, department_id, visit_date, patient_id, account_id, state, created_at)
                VALUES ($1, $2, $3, $4, $5, 'WAITING', $6)
                ON CONFLICT (patient_id, department_id, visit_date) WHERE state = 'WAITING' DO NOTHING
                RETURNING id
            )
            SELECT id, true AS created FROM joined
            UNION ALL
            SELECT id, false AS created FROM waitlist_entry
             WHERE patient_id = $4 AND department_id = $2 AND visit_date = $3 AND state = 'WAITING'
            """;

    private static final String LEAVE = """
            UPDATE waitlist_entry SET state = 'LEFT', left_at = $3
             WHERE id = $1 AND account_id = $2 AND state = 'WAITING'
            RETURNING id
            """;

    /**
     * Offers of one department-day are made one at a time across every instance: the first WAITING entry must get
     * the first parked seat, and two offerers each holding an entry could otherwise hand seats out of order.
     */
    private static final String LOCK_DAY = "SELECT pg_advisory_xact_lock(hashtextextended('waitlist:' || $1, 0))";

    /** SKIP LOCKED: an entry being left right now is passed over (its LEFT commits; the next entry is the first). */
    private static final String FIRST_WAITING = """
            SELECT w.id, w.patient_id, w.account_id, w.department_id
              FROM waitlist_entry w
             WHERE w.department_id = (SELECT dep.id FROM department dep JOIN hospital h ON h.id = dep.hospital_id
                                       WHERE h.code = $1 AND dep.code = $2)
               AND w.visit_date = $3 AND w.state = 'WAITING'
             ORDER BY w.seq
             LIMIT 1
             FOR UPDATE SKIP LOCKED
            """;

    /**
     * The offer: a booking holding the seat offer.lua reserved (OFFERED on a free slot, PENDING_PAYMENT on a paid one,
     * until the offer's deadline), the entry OFFERED, and the audit line, in one statement. The slot FOR SHARE, as the
     * booking writer's INSERT: a hospital cancellation of the slot is ordered against it (no row: CANCELLED). The
     * first-visit / follow-up rule (I11) is checked as the booking writer checks it ($9 window days, $10
     * first-visit-unseen-only): a patient it refuses for this slot is not offered it (NOT_ELIGIBLE).
     */
    private static final String OFFER = """
            WITH open_slot AS (
                SELECT s.id, s.capacity, s.department_id, s.visit_date, s.fee,
                       CASE WHEN s.visit_type = 'FOLLOW_UP' THEN EXISTS (
                                SELECT 1 FROM booking p
                                 WHERE p.patient_id = $4 AND p.department_id = s.department_id AND p.status = 'COMPLETED'
                                   AND p.visit_date >= s.visit_date - $9::int)
                            ELSE NOT $10::boolean OR NOT EXISTS (
                                SELECT 1 FROM booking p
                                 WHERE p.patient_id = $4 AND p.department_id = s.department_id AND p.status = 'COMPLETED'
                                   AND p.visit_date >= s.visit_date - $9::int)
                       END AS eligible
                  FROM slot s WHERE s.id = $2 AND s.cancelled_at IS NULL FOR SHARE
            ), offered AS (
                INSERT INTO booking (id, slot_id, slot_capacity, seat, patient_id, account_id, department_id, visit_date, status,
                                     created_at, fee, hold_expires_at, waitlist_entry_id)
                SELECT $1, s.id, s.capacity, $3, $4, $5, s.department_id, s.visit_date,
                       CASE WHEN s.fee = 0 THEN 'OFFERED' ELSE 'PENDING_PAYMENT' END, $6, s.fee, $7, $8
                  FROM open_slot s WHERE s.eligible
                RETURNING id, slot_id, account_id, seat, status, hold_expires_at
            ), entry AS (
                UPDATE waitlist_entry SET state = 'OFFERED', offered_at = $6, booking_id = $1
                 WHERE id = $8 AND state = 'WAITING' AND EXISTS (SELECT 1 FROM offered)
                RETURNING id
            ), audited AS (
                INSERT INTO booking_audit (booking_id, slot_id, account_id, action, reason)
                SELECT id, slot_id, account_id, 'OFFERED',
                       'seat ' || seat || ' offered to waitlist entry ' || $8 || ' until ' || hold_expires_at FROM offered
            )
            SELECT 'OFFERED' AS outcome FROM offered
            UNION ALL
            SELECT 'NOT_ELIGIBLE' FROM open_slot WHERE NOT eligible
            """;

    private static final String CLOSE = """
            UPDATE waitlist_entry SET state = 'CLOSED', closed_reason = $2 WHERE id = $1 AND state = 'WAITING'
            """;

    /** Entries still waiting for a day that has passed: nothing can be offered to them any more. */
    private static final String CLOSE_PAST = """
            UPDATE waitlist_entry SET state = 'CLOSED', closed_reason = 'day-over' WHERE state = 'WAITING' AND visit_date < $1
            """;

    /** Of these ids, the ones still WAITING. */
    private static final String STILL_WAITING = "SELECT id FROM waitlist_entry WHERE id = ANY($1) AND state = 'WAITING'";

    private final Pool pool;

    public WaitlistQueries(Pool pool) {
        this.pool = pool;
    }

    /** The first WAITING entry of a department-day, locked for the offer's transaction. */
    public record Waiting(UUID id, UUID patientId, String accountId, UUID departmentId) {
    }

    /** What PostgreSQL says of a patient's and an account's holdings on a department-day. */
    public record Holdings(boolean patientBooked, long accountHolds) {
    }

    public record Joined(UUID id, boolean created) {
    }

    public Uni<WaitlistEntryJson> owned(UUID entryId, String account) {
        return pool.preparedQuery(OWNED).execute(Tuple.of(entryId, account))
                .map(rows -> rows.size() == 0 ? null : entry(rows.iterator().next()));
    }

    public Uni<List<WaitlistEntryJson>> ofAccount(String account, int limit) {
        return pool.preparedQuery(OF_ACCOUNT).execute(Tuple.of(account, limit)).map(rows -> {
            List<WaitlistEntryJson> entries = new ArrayList<>(rows.size());
            rows.forEach(row -> entries.add(entry(row)));
            return entries;
        });
    }

    public Uni<Holdings> holdings(UUID patientId, UUID departmentId, LocalDate date, String account) {
        return pool.preparedQuery(HOLDINGS).execute(Tuple.of(patientId, departmentId, date, account))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Holdings(row.getBoolean("patient_booked"), row.getLong("account_holds"));
                });
    }

    /** The patient's WAITING entry of the day: this new one, or the one already there. */
    public Uni<Joined> join(UUID entryId, UUID departmentId, LocalDate date, UUID patientId, String account, Instant now) {
        Tuple args = Tuple.tuple(Arrays.<Object>asList(entryId, departmentId, date, patientId, account, utc(now)));
        return pool.preparedQuery(JOIN).execute(args).flatMap(rows -> rows.size() > 0
                ? Uni.createFrom().item(joined(rows))
                // a racing join of the same patient committed between this statement's snapshot and its insert
                : pool.preparedQuery(JOIN).execute(args).map(WaitlistQueries::joined));
    }

    /** True if the entry was WAITING and is now LEFT. */
    public Uni<Boolean> leave(UUID entryId, String account, Instant now) {
        return pool.preparedQuery(LEAVE).execute(Tuple.of(entryId, account, utc(now))).map(rows -> rows.size() > 0);
    }

    public static Uni<Void> lockDay(SqlConnection connection, DepartmentDay day) {
        return connection.preparedQuery(LOCK_DAY).execute(Tuple.of(day.id())).replaceWithVoid();
    }

    /** The first WAITING entry of the day (locked), or null. */
    public static Uni<Waiting> firstWaiting(SqlConnection connection, DepartmentDay day) {
        return connection.preparedQuery(FIRST_WAITING).execute(Tuple.of(day.hospital(), day.department(), day.date()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Waiting(row.getUUID("id"), row.getUUID("patient_id"), row.getString("account_id"),
                            row.getUUID("department_id"));
                });
    }

    /** What recording an offer did: the booking and entry are written, or nothing was (the slot, or the patient). */
    public enum Recorded { OFFERED, SLOT_CANCELLED, NOT_ELIGIBLE }

    /** Records the offer of {@code seat} of {@code slotId} to {@code entry}'s patient, until {@code expiresAt}. */
    public static Uni<Recorded> offer(SqlConnection connection, UUID bookingId, UUID slotId, int seat, Waiting entry, Instant now,
                                      Instant expiresAt, int followUpWindowDays, boolean firstVisitUnseenOnly) {
        return connection.preparedQuery(OFFER).execute(Tuple.tuple(Arrays.<Object>asList(bookingId, slotId, seat, entry.patientId(),
                        entry.accountId(), utc(now), utc(expiresAt), entry.id(), followUpWindowDays, firstVisitUnseenOnly)))
                .map(rows -> rows.size() == 0 ? Recorded.SLOT_CANCELLED : Recorded.valueOf(rows.iterator().next().getString("outcome")));
    }

    /** The entry's turn came but its patient cannot take a place ({@code reason}): it leaves the queue. */
    public static Uni<Void> close(SqlConnection connection, UUID entryId, String reason) {
        return connection.preparedQuery(CLOSE).execute(Tuple.of(entryId, reason)).replaceWithVoid();
    }

    /** Closes the entries still waiting for a date before {@code today}; how many. */
    public Uni<Integer> closePast(LocalDate today) {
        return pool.preparedQuery(CLOSE_PAST).execute(Tuple.of(today)).map(RowSet::rowCount);
    }

    /**
     * Of ids read from Redis' waiting set, the ones that stopped waiting: not WAITING in PostgreSQL, or not there at all
     * (an id enters the set only after its entry committed, so a missing one is not a join in flight). An entry never
     * goes back to WAITING, so these can always be removed.
     */
    public Uni<List<UUID>> stopped(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery(STILL_WAITING).execute(Tuple.of(ids.toArray(UUID[]::new))).map(rows -> {
            java.util.Set<UUID> waiting = new java.util.HashSet<>();
            rows.forEach(row -> waiting.add(row.getUUID(0)));
            return ids.stream().filter(id -> !waiting.contains(id)).toList();
        });
    }

    private static Joined joined(RowSet<Row> rows) {
        Row row = rows.iterator().next();
        return new Joined(row.getUUID("id"), row.getBoolean("created"));
    }

    private static WaitlistEntryJson entry(Row row) {
        String offerStatus = row.getString("offer_status");
        BookingStatus offer = offerStatus == null ? null : BookingStatus.valueOf(offerStatus);
        WaitlistState state = WaitlistState.of(row.getString("state"), offer);
        Long position = row.getLong("position");
        return new WaitlistEntryJson(row.getUUID("id"), row.getString("hospital"), row.getString("department"),
                row.getLocalDate("visit_date"), row.getUUID("patient_id"), state, position == null ? null : position.intValue(),
                local(row, "created_at"), local(row, "offered_at"), row.getUUID("booking_id"),
                state == WaitlistState.OFFERED ? local(row, "hold_expires_at") : null, local(row, "left_at"),
                row.getString("closed_reason"));
    }

    private static java.time.OffsetDateTime local(Row row, String column) {
        java.time.OffsetDateTime time = row.getOffsetDateTime(column);
        return time == null ? null : HospitalTime.local(time.toInstant());
    }

    private static java.time.OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
