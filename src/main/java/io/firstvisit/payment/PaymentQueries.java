package io.firstvisit.payment;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/** The SQL of recording payments, run on the transaction {@link Payments} holds with the booking row locked. */
final class PaymentQueries {

    private static final String PREVIOUS = "SELECT booking_id, outcome, reason FROM payment WHERE payment_id = $1";

    private static final String CONFIRM = """
            WITH paid AS (
                UPDATE booking SET status = 'CONFIRMED', paid_at = $2, payment_id = $3
                 WHERE id = $1 AND status = 'PENDING_PAYMENT'
                RETURNING id, slot_id, account_id, fee
            ), recorded AS (
                INSERT INTO payment (payment_id, booking_id, amount, paid_at, outcome)
                SELECT $3, $4, fee, $2, 'CONFIRMED' FROM paid
            ), audited AS (
                INSERT INTO booking_audit (booking_id, slot_id, account_id, action, reason)
                SELECT id, slot_id, account_id, 'PAID', 'payment ' || $3 || ' of ' || fee || ' fen' FROM paid
            )
            SELECT id FROM paid
            """;

    private static final String REFUSE = """
            WITH refused AS (
                INSERT INTO payment (payment_id, booking_id, amount, paid_at, outcome, reason)
                VALUES ($1, $2, $3, $4, 'REFUSED', $5)
                ON CONFLICT (payment_id) DO NOTHING
                RETURNING booking_id
            )
            INSERT INTO booking_audit (booking_id, slot_id, account_id, action, reason)
            SELECT b.id, b.slot_id, b.account_id, 'PAYMENT_REFUSED', 'payment ' || $1 || ' refused (' || $5 || '); refund due'
              FROM refused JOIN booking b ON b.id = refused.booking_id
            """;

    private PaymentQueries() {
    }

    /** A payment already decided: for which booking, CONFIRMED or REFUSED, and why it was refused. */
    record Previous(UUID bookingId, String outcome, String reason) {
    }

    static Uni<Optional<Previous>> previous(SqlConnection connection, String paymentId) {
        return connection.preparedQuery(PREVIOUS).execute(Tuple.of(paymentId)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            var row = rows.iterator().next();
            return Optional.of(new Previous(row.getUUID("booking_id"), row.getString("outcome"), row.getString("reason")));
        });
    }

    /**
     * Confirms the PENDING_PAYMENT booking {@code bookingId}, records the payment under {@code notifiedBookingId} (the
     * id the payment system knows, which a reschedule may have replaced) and audits it, in one statement.
     */
    static Uni<Void> confirm(SqlConnection connection, UUID bookingId, OffsetDateTime paidAt, String paymentId, UUID notifiedBookingId) {
        return connection.preparedQuery(CONFIRM).execute(Tuple.of(bookingId, paidAt, paymentId, notifiedBookingId)).replaceWithVoid();
    }

    /** Records a payment that cannot buy the place (it is due for refund), once per paymentId, and audits it. */
    static Uni<Void> refuse(SqlConnection connection, String paymentId, UUID bookingId, int amount, OffsetDateTime paidAt, String code) {
        return connection.preparedQuery(REFUSE)
                .execute(Tuple.tuple(Arrays.<Object>asList(paymentId, bookingId, amount, paidAt, code)))
                .replaceWithVoid();
    }
}
