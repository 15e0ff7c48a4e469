package io.firstvisit.booking;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The SQL of a hospital-side cancellation (V8). */
@ApplicationScoped
public class CancellationQueries {

    /**
     * The slot rows first: their lock orders this against booking INSERTs in flight (which take FOR SHARE
     * on their slot), so the bookings UPDATE that follows sees every row that will ever exist on them.
     */
    private static final String CANCEL_SLOTS = """
            WITH cancelled AS (
                UPDATE slot SET cancelled_at = $2, cancel_reason = $3
                 WHERE id = ANY($1) AND cancelled_at IS NULL
                RETURNING id
            )
            INSERT INTO booking_audit (slot_id, account_id, action, reason)
            SELECT id, $4, 'SLOT_CANCELLED', 'cancelled by the hospital: ' || $3 FROM cancelled
            """;

    private static final String CANCEL_BOOKINGS = """
            WITH cancelled AS (
                UPDATE booking SET status = 'CANCELLED_BY_HOSPITAL', cancelled_at = $2, cancel_reason = $3
                 WHERE slot_id = ANY($1) AND active AND status = ANY($4)
                RETURNING id, slot_id, account_id, seat, paid_at
            )
            INSERT INTO booking_audit (booking_id, slot_id, account_id, action, reason)
            SELECT id, slot_id, account_id, 'CANCELLED_BY_HOSPITAL', 'slot cancelled by the hospital: ' || $3
                   || CASE WHEN paid_at IS NOT NULL THEN '; refund due' ELSE '' END
              FROM cancelled
            """;

    private static final String SLOTS = "SELECT id, cancelled_at, cancel_reason FROM slot WHERE id = ANY($1) ORDER BY start_at, id";

    private static final String BOOKINGS = """
            SELECT id, slot_id, patient_id, paid_at IS NOT NULL AS refund_due FROM booking
             WHERE slot_id = ANY($1) AND status = 'CANCELLED_BY_HOSPITAL' ORDER BY slot_id, id
            """;

    /** The doctor's slots on the date; one row with a null slot when the doctor has none that day, none when no such doctor. */
    private static final String DOCTOR_DAY = """
            SELECT s.id FROM doctor d LEFT JOIN slot s ON s.doctor_id = d.id AND s.visit_date = $2
             WHERE d.id = $1 ORDER BY s.start_at
            """;

    private final Pool pool;

    public CancellationQueries(Pool pool) {
        this.pool = pool;
    }

    public record CancelledSlot(UUID id, OffsetDateTime cancelledAt, String reason) {
    }

    public record CancelledBooking(UUID id, UUID slotId, UUID patientId, boolean refundDue) {
    }

    /** Cancels the slots and the bookings holding a place on them, in one transaction; idempotent. */
    public Uni<Void> cancel(List<UUID> slotIds, String reason, String account, Instant now) {
        UUID[] ids = slotIds.toArray(UUID[]::new);
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        return pool.withTransaction(connection -> connection.preparedQuery(CANCEL_SLOTS).execute(Tuple.of(ids, at, reason, account))
                .chain(() -> connection.preparedQuery(CANCEL_BOOKINGS).execute(Tuple.of(ids, at, reason, BookingQueries.AWAITING_VISIT)))
                .replaceWithVoid());
    }

    public Uni<List<CancelledSlot>> slots(List<UUID> slotIds) {
        return pool.preparedQuery(SLOTS).execute(Tuple.of((Object) slotIds.toArray(UUID[]::new))).map(rows -> {
            List<CancelledSlot> slots = new ArrayList<>();
            for (Row row : rows) {
                slots.add(new CancelledSlot(row.getUUID("id"), row.getOffsetDateTime("cancelled_at"), row.getString("cancel_reason")));
            }
            return slots;
        });
    }

    public Uni<List<CancelledBooking>> bookings(List<UUID> slotIds) {
        return pool.preparedQuery(BOOKINGS).execute(Tuple.of((Object) slotIds.toArray(UUID[]::new))).map(rows -> {
            List<CancelledBooking> bookings = new ArrayList<>();
            for (Row row : rows) {
                bookings.add(new CancelledBooking(row.getUUID("id"), row.getUUID("slot_id"), row.getUUID("patient_id"),
                        row.getBoolean("refund_due")));
            }
            return bookings;
        });
    }

    /** The doctor's slot ids on the date, or null when there is no such doctor. */
    public Uni<List<UUID>> doctorDay(UUID doctorId, LocalDate date) {
        return pool.preparedQuery(DOCTOR_DAY).execute(Tuple.of(doctorId, date)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            List<UUID> ids = new ArrayList<>();
            rows.forEach(row -> {
                if (row.getUUID(0) != null) {
                    ids.add(row.getUUID(0));
                }
            });
            return ids;
        });
    }
}
