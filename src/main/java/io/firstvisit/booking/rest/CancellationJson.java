package io.firstvisit.booking.rest;

import io.firstvisit.booking.HospitalCancellation;
import io.firstvisit.common.HospitalTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The slots now cancelled and every booking the hospital cancelled on them (the same answer when repeated). */
public record CancellationJson(List<SlotJson> slots, List<BookingJson> bookings) {

    @Schema(name = "CancelledSlot")
    public record SlotJson(UUID id, String status, OffsetDateTime cancelledAt, String reason) {
    }

    @Schema(name = "CancelledBooking")
    public record BookingJson(UUID id, UUID slotId, String status, boolean refundDue) {
    }

    static CancellationJson of(HospitalCancellation.Cancelled done) {
        return new CancellationJson(
                done.slots().stream().map(s -> new SlotJson(s.id(), "CANCELLED", HospitalTime.local(s.cancelledAt().toInstant()),
                        s.reason())).toList(),
                done.bookings().stream().map(b -> new BookingJson(b.id(), b.slotId(), "CANCELLED_BY_HOSPITAL", b.refundDue())).toList());
    }
}
