package io.firstvisit.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The append-only record of what happened to bookings and inventory. Bookings, cancellations, payments and
 * visit outcomes are recorded in the same statement that commits them (BookingWriter, BookingQueries,
 * Payments, VisitOutcomeQueries); this class
 * records recovery actions (an expired reservation, a rebuilt or repaired inventory) and reads history.
 * An audit line that cannot be written (PostgreSQL down) is logged and does not undo the repair it
 * describes: the repair is what protects parents.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);

    public enum Action {
        BOOKED, CANCELLED, RESERVATION_EXPIRED, INVENTORY_REBUILT, INVENTORY_REPAIRED, PAID, HOLD_EXPIRED, PAYMENT_REFUSED,
        /** Visit outcomes, recorded by a scheduler (the line names the scheduler's account). */
        CHECKED_IN, COMPLETED, NO_SHOW,
        RESCHEDULED, CANCELLED_BY_HOSPITAL, SLOT_CANCELLED,
        /** A returned place offered to a waitlist entry (V11), and a free slot's offer accepted. */
        OFFERED, OFFER_ACCEPTED
    }

    public record Entry(long id, UUID bookingId, UUID slotId, String accountId, Action action, String reason, OffsetDateTime at) {
    }

    private final Pool pool;

    public AuditTrail(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> record(Action action, UUID bookingId, UUID slotId, String accountId, String reason) {
        return pool.preparedQuery("INSERT INTO booking_audit (booking_id, slot_id, account_id, action, reason) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.tuple(java.util.Arrays.<Object>asList(bookingId, slotId, accountId, action.name(), reason)))
                .onFailure().invoke(f -> LOG.warnf("Audit line %s for booking %s slot %s not written: %s", action, bookingId, slotId, f.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    public Uni<List<Entry>> history(UUID bookingId) {
        return pool.preparedQuery("SELECT id, booking_id, slot_id, account_id, action, reason, at FROM booking_audit WHERE booking_id = $1 ORDER BY id")
                .execute(Tuple.of(bookingId))
                .map(rows -> {
                    List<Entry> entries = new ArrayList<>();
                    for (Row row : rows) {
                        entries.add(new Entry(row.getLong("id"), row.getUUID("booking_id"), row.getUUID("slot_id"),
                                row.getString("account_id"), Action.valueOf(row.getString("action")), row.getString("reason"),
                                row.getOffsetDateTime("at")));
                    }
                    return entries;
                });
    }
}
