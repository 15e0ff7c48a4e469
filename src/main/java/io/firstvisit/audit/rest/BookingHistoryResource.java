package io.firstvisit.audit.rest;

import io.firstvisit.audit.AuditTrail;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.common.Ids;
import io.firstvisit.booking.BookingService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/admin/bookings/{id}/history")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("scheduler")
@Tag(name = "scheduler")
public class BookingHistoryResource {

    private final AuditTrail audit;

    public BookingHistoryResource(AuditTrail audit) {
        this.audit = audit;
    }

    public record HistoryLine(String action, String reason, String accountId, UUID slotId, OffsetDateTime at) {
    }

    @GET
    @Operation(operationId = "bookingHistory", summary = "Everything that happened to one booking (or reservation), oldest first")
    @APIResponse(responseCode = "200", description = "The history, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HistoryLine.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "`booking-not-found` (no booking or reservation by that id)")
    public Uni<List<HistoryLine>> history(@PathParam("id") String id) {
        UUID bookingId = Ids.parse(id).orElseThrow(BookingService::notFound);
        return audit.history(bookingId).map(entries -> {
            if (entries.isEmpty()) {
                throw BookingService.notFound();
            }
            return entries.stream()
                    .map(e -> new HistoryLine(e.action().name(), e.reason(), e.accountId(), e.slotId(), HospitalTime.local(e.at().toInstant())))
                    .toList();
        });
    }
}
