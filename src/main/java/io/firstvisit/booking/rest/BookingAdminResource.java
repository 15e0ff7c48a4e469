package io.firstvisit.booking.rest;

import io.firstvisit.booking.BookingJson;
import io.firstvisit.booking.BookingService;
import io.firstvisit.common.Ids;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The hospital's view of one booking, whichever account made it (schedulers, the HIS). */
@Path("/api/v1/admin/bookings/{id}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("scheduler")
@Tag(name = "scheduler")
public class BookingAdminResource {

    private final BookingService bookings;

    public BookingAdminResource(BookingService bookings) {
        this.bookings = bookings;
    }

    @GET
    @Operation(summary = "One booking: status, fee, payment hold and payment")
    public Uni<BookingJson> get(@PathParam("id") String id) {
        return bookings.findAny(Ids.parse(id).orElseThrow(BookingService::notFound));
    }
}
