package io.firstvisit.payment;

import io.firstvisit.booking.Booking;
import io.firstvisit.booking.BookingQueries;
import io.firstvisit.booking.BookingStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Records what the payment system says was paid. One transaction per notification, with the booking row
 * locked: a payment and the hold's expiry (HoldExpirer) cannot both win, and two copies of one
 * notification give one answer. Every decided payment is kept by its {@code paymentId}, so a replay gets
 * the same answer, days later too.
 */
@ApplicationScoped
public class Payments {

    /** What a notification led to. */
    public sealed interface Decision {
        record Confirmed(UUID bookingId, String paymentId) implements Decision {
        }

        /** The payment cannot buy the place: it must be refunded. {@code code} is the problem type. */
        record Refused(UUID bookingId, String paymentId, String code) implements Decision {
        }

        record UnknownBooking() implements Decision {
        }

        record AmountMismatch(int expected) implements Decision {
        }

        /** This paymentId was already decided for another booking. */
        record PaymentIdReused() implements Decision {
        }
    }

    public record Notification(UUID bookingId, String paymentId, int amount, OffsetDateTime paidAt) {
    }

    /** A hold moved more often than this is not followed further (a loop would be a bug, not a parent). */
    private static final int MAX_MOVES = 50;

    private final Pool pool;

    public Payments(Pool pool) {
        this.pool = pool;
    }

    public Uni<Decision> record(Notification notification) {
        return pool.withTransaction(connection -> PaymentQueries.previous(connection, notification.paymentId())
                .flatMap(previous -> previous.isPresent()
                        ? Uni.createFrom().item(replay(notification, previous.get()))
                        : current(connection, notification.bookingId(), 0).flatMap(booking -> decide(connection, notification, booking))));
    }

    private static Decision replay(Notification notification, PaymentQueries.Previous previous) {
        if (!previous.bookingId().equals(notification.bookingId())) {
            return new Decision.PaymentIdReused();
        }
        return "CONFIRMED".equals(previous.outcome())
                ? new Decision.Confirmed(previous.bookingId(), notification.paymentId())
                : new Decision.Refused(previous.bookingId(), notification.paymentId(), previous.reason());
    }

    /**
     * The booking the payment is for, locked: the one notified or, when that one was rescheduled, the
     * booking that replaced it (the payment system only knows the id the hold was created with).
     */
    private static Uni<Booking> current(SqlConnection connection, UUID bookingId, int moves) {
        return BookingQueries.lock(connection, bookingId).flatMap(booking -> booking != null && booking.status == BookingStatus.RESCHEDULED
                && booking.rescheduledTo != null && moves < MAX_MOVES
                ? current(connection, booking.rescheduledTo, moves + 1)
                : Uni.createFrom().item(booking));
    }

    private Uni<Decision> decide(SqlConnection connection, Notification notification, Booking booking) {
        if (booking == null) {
            return Uni.createFrom().item(new Decision.UnknownBooking());
        }
        if (notification.paymentId().equals(booking.paymentId)) {
            // A copy of this notification committed while we waited for the row lock.
            return Uni.createFrom().item(new Decision.Confirmed(notification.bookingId(), booking.paymentId));
        }
        if (notification.amount() != booking.fee) {
            return Uni.createFrom().item(new Decision.AmountMismatch(booking.fee));
        }
        if (booking.status == BookingStatus.PENDING_PAYMENT) {
            return PaymentQueries.confirm(connection, booking.id, notification.paidAt(), notification.paymentId(), notification.bookingId())
                    .replaceWith(new Decision.Confirmed(notification.bookingId(), notification.paymentId()));
        }
        // A booking past CONFIRMED (checked in, completed, no-show) was confirmed, hence paid: a second payment is a duplicate.
        String code = booking.status == BookingStatus.CONFIRMED || booking.status.hasVisitOutcome() ? "already-paid" : "hold-expired";
        return PaymentQueries.refuse(connection, notification.paymentId(), notification.bookingId(), notification.amount(),
                        notification.paidAt(), code)
                .replaceWith(new Decision.Refused(notification.bookingId(), notification.paymentId(), code));
    }
}
