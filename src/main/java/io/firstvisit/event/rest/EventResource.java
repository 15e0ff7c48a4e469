package io.firstvisit.event.rest;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.firstvisit.problem.Problem;
import io.firstvisit.event.BookingEvents;
import io.firstvisit.event.BookingEvents.Cursor;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Every booking status change, for the hospital's systems (HIS, payment, messaging): read in order and
 * resume from the last {@code next} cursor. Schedulers and the {@code integration} group may read it.
 */
@Path("/api/v1/admin/events")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"scheduler", "integration"})
@Tag(name = "integration")
public class EventResource {

    static final int MAX_LIMIT = 1000;

    private final BookingEvents events;

    public EventResource(BookingEvents events) {
        this.events = events;
    }

    public record EventJson(String id, String cursor, String type, String bookingId, OffsetDateTime at, @JsonRawValue @Schema(type = SchemaType.OBJECT, description = "The booking as the event left it") String data) {
    }

    /** {@code next}: the cursor to send as {@code after} next time (the same one when nothing was new). */
    public record EventPage(List<EventJson> events, String next) {
    }

    @GET
    @Operation(operationId = "listEvents", summary = "Booking events after a cursor, oldest first; resume with the answer's next",
            description = "Types: booking.pending_payment, booking.confirmed, booking.paid, booking.expired, booking.cancelled, "
                    + "booking.rescheduled, booking.cancelled_by_hospital, booking.checked_in, booking.completed, booking.no_show, "
                    + "payment.refused. "
                    + "Each event has a stable id; consumers deduplicate on it.")
    public Uni<EventPage> list(@QueryParam("after") String after, @QueryParam("limit") @DefaultValue("100") String limit) {
        Cursor cursor = after == null || after.isEmpty() ? Cursor.START : Cursor.parse(after).orElseThrow(() -> Problem.invalidRequest(
                "invalid-cursor", List.of(new Problem.FieldError("after", "must be a cursor handed out by this feed (tx-id)"))));
        int size = parseLimit(limit);
        return events.after(cursor, size).map(page -> new EventPage(
                page.stream().map(e -> new EventJson(e.id(), e.cursor(), e.type(), e.bookingId(), e.at(), e.data())).toList(),
                page.isEmpty() ? cursor.toString() : page.get(page.size() - 1).cursor()));
    }

    private static int parseLimit(String limit) {
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw Problem.invalidRequest("invalid-limit", List.of(new Problem.FieldError("limit", "must be 1 to " + MAX_LIMIT)));
    }
}
