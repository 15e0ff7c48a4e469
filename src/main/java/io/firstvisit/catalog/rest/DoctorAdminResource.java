package io.firstvisit.catalog.rest;

import io.firstvisit.common.Locations;
import io.firstvisit.catalog.Catalog;
import io.firstvisit.catalog.Department;
import io.firstvisit.catalog.Doctor;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.problem.Problem;
import io.firstvisit.common.Text;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

@Path("/api/v1/admin/doctors")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("scheduler")
@Tag(name = "scheduler")
public class DoctorAdminResource {

    private final Catalog catalog;
    private final HospitalTime time;

    public DoctorAdminResource(Catalog catalog, HospitalTime time) {
        this.catalog = catalog;
        this.time = time;
    }

    public record NewDoctor(
            @NotBlank @Pattern(regexp = Text.CODE, message = Text.CODE_MESSAGE) String hospital,
            @NotBlank @Pattern(regexp = Text.CODE, message = Text.CODE_MESSAGE) String department,
            @NotBlank @Size(max = 100) @Pattern(regexp = Text.PRINTABLE, message = Text.PRINTABLE_MESSAGE) String name,
            @NotBlank @Size(max = 100) @Pattern(regexp = Text.PRINTABLE, message = Text.PRINTABLE_MESSAGE) String title,
            @NotNull Boolean firstVisitQualified) {
    }

    public record DoctorJson(UUID id, String hospital, String department, String name, String title, boolean firstVisitQualified) {
    }

    @POST
    @Operation(operationId = "registerDoctor", summary = "Register a doctor in a department")
    @APIResponse(responseCode = "201", description = "The doctor",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DoctorJson.class)))
    @APIResponse(responseCode = "404", description = "`department-not-found`")
    public Uni<Response> create(@Valid @NotNull NewDoctor request) {
        return catalog.department(request.hospital(), request.department())
                .flatMap(info -> Panache.withTransaction(() -> Department.<Department>findById(info.id()).flatMap(department -> {
                    Doctor doctor = new Doctor();
                    doctor.id = UUID.randomUUID();
                    doctor.department = department;
                    doctor.name = request.name().strip();
                    doctor.title = request.title().strip();
                    doctor.firstVisitQualified = request.firstVisitQualified();
                    doctor.createdAt = time.now();
                    return doctor.persist().replaceWith(doctor);
                })).map(doctor -> Locations.created("/api/v1/admin/doctors/" + doctor.id)
                        .entity(new DoctorJson(doctor.id, info.hospitalCode(), info.code(), doctor.name, doctor.title,
                                doctor.firstVisitQualified))
                        .build()));
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getDoctor", summary = "One doctor")
    @APIResponse(responseCode = "200", description = "The doctor",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DoctorJson.class)))
    @APIResponse(responseCode = "404", description = "`doctor-not-found`")
    public Uni<DoctorJson> get(@PathParam("id") String id) {
        UUID doctorId = io.firstvisit.common.Ids.parse(id).orElseThrow(DoctorAdminResource::notFound);
        return Panache.withSession(() -> Doctor.<Doctor>find("from Doctor d join fetch d.department dep join fetch dep.hospital where d.id = ?1", doctorId)
                .firstResult()
                .map(d -> {
                    if (d == null) {
                        throw notFound();
                    }
                    return new DoctorJson(d.id, d.department.hospital.code, d.department.code, d.name, d.title, d.firstVisitQualified);
                }));
    }

    private static Problem notFound() {
        return Problem.notFound("doctor-not-found");
    }
}
