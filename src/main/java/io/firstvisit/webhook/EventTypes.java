package io.firstvisit.webhook;

import java.util.List;

/** The event types the outbox triggers write (V4 and later), which webhooks may subscribe to. */
public final class EventTypes {

    public static final List<String> ALL = List.of("booking.pending_payment", "booking.confirmed", "booking.paid",
            "booking.expired", "booking.cancelled", "booking.rescheduled", "booking.cancelled_by_hospital", "booking.checked_in",
            "booking.completed", "booking.no_show", "payment.refused",
            // issue 11 §2: a waitlist entry is offered a returned place (a booking OFFERED, or PENDING_PAYMENT on a paid
            // slot), and a free slot's offer is accepted
            "booking.offered", "booking.accepted");

    private EventTypes() {
    }
}
