package io.firstvisit.booking.rest;

import io.firstvisit.booking.BookingJson;
import io.firstvisit.booking.BookingService;
import io.firstvisit.booking.VisitOutcome;
import io.firstvisit.booking.VisitOutcomes;
import io.firstvisit.common.Ids;
import io.firstvisit.security.CurrentAccount;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The hospital's view of one booking, whichever account made it (schedulers, the HIS), and the visit's outcome. */
@Path("/api/v1/admin/bookings/{id}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("scheduler")
@Tag(name = "scheduler")
public class BookingAdminResource {

    private static final String NOT_FOUND = "`booking-not-found`";
    private static final String CHANGED = "The booking after the change (or unchanged, when it had already made it)";
    private static final String REFUSED = "`invalid-transition` (carries `currentStatus`, `requestedStatus`): the booking's status does not allow this change";

    private final BookingService bookings;
    private final VisitOutcomes outcomes;
    private final CurrentAccount account;

    public BookingAdminResource(BookingService bookings, VisitOutcomes outcomes, CurrentAccount account) {
        this.bookings = bookings;
        this.outcomes = outcomes;
        this.account = account;
    }

    @GET
    @Operation(operationId = "getBookingAsScheduler", summary = "One booking: status, fee, payment hold and payment, visit outcome")
    @APIResponse(responseCode = "200", description = "The booking",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BookingJson.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public Uni<BookingJson> get(@PathParam("id") String id) {
        return bookings.findAny(Ids.parse(id).orElseThrow(BookingService::notFound));
    }

    @POST
    @Path("check-in")
    @Operation(operationId = "checkIn", summary = "The patient arrived: CONFIRMED → CHECKED_IN",
            description = "A booking waiting for its payment cannot be checked in. Repeating it on a CHECKED_IN booking answers it unchanged.")
    @APIResponse(responseCode = "200", description = CHANGED, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BookingJson.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    @APIResponse(responseCode = "409", description = REFUSED)
    public Uni<BookingJson> checkIn(@PathParam("id") String id) {
        return record(VisitOutcome.CHECK_IN, id);
    }

    @POST
    @Path("complete")
    @Operation(operationId = "complete", summary = "The visit took place: CHECKED_IN → COMPLETED",
            description = "Repeating it on a COMPLETED booking answers it unchanged.")
    @APIResponse(responseCode = "200", description = CHANGED, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BookingJson.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    @APIResponse(responseCode = "409", description = REFUSED)
    public Uni<BookingJson> complete(@PathParam("id") String id) {
        return record(VisitOutcome.COMPLETE, id);
    }

    @POST
    @Path("no-show")
    @Operation(operationId = "noShow", summary = "The patient did not come: CONFIRMED → NO_SHOW, once the slot has started",
            description = "Before the slot's start: 409 invalid-transition. The seat is not returned (the slot is under way). "
                    + "Repeating it on a NO_SHOW booking answers it unchanged.")
    @APIResponse(responseCode = "200", description = CHANGED, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BookingJson.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    @APIResponse(responseCode = "409", description = REFUSED)
    public Uni<BookingJson> noShow(@PathParam("id") String id) {
        return record(VisitOutcome.NO_SHOW, id);
    }

    private Uni<BookingJson> record(VisitOutcome outcome, String id) {
        return outcomes.record(outcome, Ids.parse(id).orElseThrow(BookingService::notFound), account.id());
    }
}
