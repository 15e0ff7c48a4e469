package io.firstvisit.booking.rest;

import io.firstvisit.booking.HospitalCancellation;
import io.firstvisit.common.Ids;
import io.firstvisit.problem.Problem;
import io.firstvisit.security.CurrentAccount;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** A scheduler stops one slot (the doctor's session is stopped); the bookings on it are cancelled by the hospital. */
@Path("/api/v1/admin/slots/{id}/cancel")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("scheduler")
@Tag(name = "scheduler")
public class SlotCancellationResource {

    private final HospitalCancellation cancellation;
    private final CurrentAccount account;

    public SlotCancellationResource(HospitalCancellation cancellation, CurrentAccount account) {
        this.cancellation = cancellation;
        this.account = account;
    }

    public record CancelSlot(@NotBlank @Size(max = 500) String reason) {
    }

    @POST
    @Operation(operationId = "cancelSlot", summary = "Cancel a slot: never bookable again; its bookings become CANCELLED_BY_HOSPITAL (idempotent)")
    @APIResponse(responseCode = "200", description = "The cancelled slot and bookings (cancelling again answers the same)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CancellationJson.class)))
    @APIResponse(responseCode = "404", description = "`slot-not-found`")
    public Uni<CancellationJson> cancel(@PathParam("id") String id, @Valid @NotNull CancelSlot request) {
        UUID slotId = Ids.parse(id).orElseThrow(() -> Problem.notFound("slot-not-found"));
        return cancellation.cancelSlot(slotId, request.reason(), account.id()).map(CancellationJson::of);
    }
}
