package io.firstvisit.patient.rest;

import io.firstvisit.common.HospitalTime;
import io.firstvisit.common.Ids;
import io.firstvisit.common.Locations;
import io.firstvisit.problem.Problem;
import io.firstvisit.common.Text;
import io.firstvisit.patient.Patient;
import io.firstvisit.patient.PatientCard;
import io.firstvisit.patient.PatientDirectory;
import io.firstvisit.patient.Sex;
import io.firstvisit.security.CurrentAccount;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
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

import java.time.OffsetDateTime;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/patients")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("patient")
@Tag(name = "patients")
public class PatientResource {

    /** A guardian books for their own children; more profiles than this is a script, not a family. */
    static final int MAX_PATIENTS_PER_ACCOUNT = 10;
    private static final LocalDate EARLIEST_BIRTH_DATE = LocalDate.of(1900, 1, 1);

    private final CurrentAccount account;
    private final PatientDirectory directory;
    private final HospitalTime time;

    public PatientResource(CurrentAccount account, PatientDirectory directory, HospitalTime time) {
        this.account = account;
        this.directory = directory;
        this.time = time;
    }

    public record NewPatient(@NotBlank @Size(max = 100) @Pattern(regexp = Text.PRINTABLE, message = Text.PRINTABLE_MESSAGE) String name,
                             @NotNull @PastOrPresent LocalDate birthDate,
                             @NotNull Sex sex) {
    }

    public record PatientJson(UUID id, String name, LocalDate birthDate, Sex sex, OffsetDateTime createdAt) {
        static PatientJson of(Patient p) {
            return new PatientJson(p.id, p.name, p.birthDate, p.sex, HospitalTime.local(p.createdAt));
        }
    }

    @POST
    @Operation(operationId = "addPatient", summary = "Add a child's profile to the caller's account")
    @APIResponse(responseCode = "201", description = "The patient profile",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PatientJson.class)))
    @APIResponse(responseCode = "422", description = "`too-many-patients`")
    public Uni<Response> create(@Valid @NotNull NewPatient request) {
        if (request.birthDate().isBefore(EARLIEST_BIRTH_DATE)) {
            throw Problem.invalidRequest("invalid-fields",
                    List.of(new Problem.FieldError("birthDate", "must be after " + EARLIEST_BIRTH_DATE)), "birthDate");
        }
        if (Text.isBlank(request.name())) {
            throw Problem.invalidRequest("invalid-fields", List.of(new Problem.FieldError("name", "must not be blank")), "name");
        }
        String owner = account.id();
        return Panache.withTransaction(() -> Patient.count("accountId", owner).flatMap(count -> {
                    if (count >= MAX_PATIENTS_PER_ACCOUNT) {
                        throw Problem.of(422, "too-many-patients", "too-many-patients", MAX_PATIENTS_PER_ACCOUNT);
                    }
                    Patient patient = new Patient();
                    patient.id = UUID.randomUUID();
                    patient.accountId = owner;
                    patient.name = Text.trim(request.name());
                    patient.birthDate = request.birthDate();
                    patient.sex = request.sex();
                    patient.createdAt = time.now();
                    return patient.persist().replaceWith(patient);
                }))
                .call(patient -> directory.remember(new PatientCard(patient.id, patient.accountId, patient.birthDate))
                        .onFailure().recoverWithNull())
                .map(patient -> Locations.created("/api/v1/patients/" + patient.id).entity(PatientJson.of(patient)).build());
    }

    @GET
    @Operation(operationId = "listPatients", summary = "The caller's patient profiles")
    public Uni<List<PatientJson>> list() {
        String owner = account.id();
        return Panache.withSession(() -> Patient.<Patient>list("accountId = ?1 order by createdAt", owner))
                .map(all -> all.stream().map(PatientJson::of).toList());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getPatient", summary = "One of the caller's patient profiles")
    @APIResponse(responseCode = "200", description = "The patient profile",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PatientJson.class)))
    @APIResponse(responseCode = "404", description = "`patient-not-found` (also another account's)")
    public Uni<PatientJson> get(@PathParam("id") String id) {
        UUID patientId = Ids.parse(id).orElseThrow(PatientDirectory::notFound);
        String owner = account.id();
        return Panache.withSession(() -> Patient.<Patient>find("id = ?1 and accountId = ?2", patientId, owner).firstResult())
                .map(patient -> {
                    if (patient == null) {
                        throw PatientDirectory.notFound();
                    }
                    return PatientJson.of(patient);
                });
    }
}
