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

import java.time.LocalDate;
import java.util.UUID;

/** A scheduler stops a doctor's whole day (the doctor is ill): every slot of that date and its bookings. */
@Path("/api/v1/admin/doctors/{id}/cancel-day")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("scheduler")
@Tag(name = "scheduler")
public class DayCancellationResource {

    private final HospitalCancellation cancellation;
    private final CurrentAccount account;

    public DayCancellationResource(HospitalCancellation cancellation, CurrentAccount account) {
        this.cancellation = cancellation;
        this.account = account;
    }

    /** {@code date}: the visit date, in the hospital's calendar (Asia/Shanghai). */
    public record CancelDay(@NotNull LocalDate date, @NotBlank @Size(max = 500) String reason) {
    }

    @POST
    @Operation(operationId = "cancelDoctorDay", summary = "Cancel every slot of a doctor on a date and the bookings on them (idempotent)")
    @APIResponse(responseCode = "200", description = "The cancelled slots and bookings (cancelling again answers the same)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CancellationJson.class)))
    @APIResponse(responseCode = "404", description = "`doctor-not-found`")
    public Uni<CancellationJson> cancel(@PathParam("id") String id, @Valid @NotNull CancelDay request) {
        UUID doctorId = Ids.parse(id).orElseThrow(() -> Problem.notFound("doctor-not-found"));
        return cancellation.cancelDay(doctorId, request.date(), request.reason(), account.id()).map(CancellationJson::of);
    }
}
