package io.firstvisit.schedule.rest;

import io.firstvisit.common.HospitalTime;
import io.firstvisit.common.Ids;
import io.firstvisit.problem.Problem;
import io.firstvisit.schedule.AdmissionMode;
import io.firstvisit.schedule.AdmissionPolicy;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotQueries;
import io.firstvisit.schedule.SlotStatus;
import io.firstvisit.schedule.VisitType;
import io.firstvisit.schedule.service.Availability;
import io.firstvisit.schedule.service.SlotPublisher;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/admin/slots")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("scheduler")
@Tag(name = "scheduler")
public class SlotAdminResource {

    private final SlotPublisher publisher;
    private final SlotDirectory directory;
    private final SlotQueries queries;
    private final Availability availability;
    private final HospitalTime time;

    public SlotAdminResource(SlotPublisher publisher, SlotDirectory directory, SlotQueries queries,
                             Availability availability, HospitalTime time) {
        this.publisher = publisher;
        this.directory = directory;
        this.queries = queries;
        this.availability = availability;
        this.time = time;
    }

    /** {@code fee} in fen, 0 (free, the default) to 1 000 000; a paid slot's bookings wait for their payment. */
    public record NewSlot(@NotNull OffsetDateTime start, @NotNull OffsetDateTime end,
                          @NotNull @Min(1) @Max(1000) Integer capacity, @Min(0) @Max(1_000_000) Integer fee) {
    }

    public record PublishSlots(@NotNull @Pattern(regexp = Ids.UUID_PATTERN, message = "must be a doctor id") String doctorId,
                               @NotNull VisitType visitType,
                               @NotNull OffsetDateTime releaseAt,
                               @NotNull @Size(min = 1, max = 500) List<@Valid @NotNull NewSlot> slots,
                               @Valid AdmissionRequest admission) {
    }

    /**
     * How the department-day's places are handed out. Omitted: the day's admission if it has one, else FIRST_COME.
     * QUEUE's fields default to 30 minutes of pre-queue, 100 admissions a second and a 10-minute pass.
     */
    public record AdmissionRequest(@NotNull AdmissionMode mode,
                                   @Min(1) @Max(1440) Integer preQueueMinutes,
                                   @Min(1) @Max(100_000) Integer admitPerSecond,
                                   @Min(1) @Max(120) Integer passMinutes) {

        AdmissionPolicy policy() {
            if (mode == AdmissionMode.QUEUE) {
                return AdmissionPolicy.queue(preQueueMinutes, admitPerSecond, passMinutes);
            }
            List<Problem.FieldError> errors = new ArrayList<>();
            queueOnly("preQueueMinutes", preQueueMinutes, errors);
            queueOnly("admitPerSecond", admitPerSecond, errors);
            queueOnly("passMinutes", passMinutes, errors);
            if (!errors.isEmpty()) {
                throw Problem.invalidRequest("invalid-admission", errors);
            }
            return AdmissionPolicy.FIRST_COME;
        }

        private static void queueOnly(String field, Integer value, List<Problem.FieldError> errors) {
            if (value != null) {
                errors.add(new Problem.FieldError("admission." + field, "applies to mode QUEUE only"));
            }
        }
    }

    public record PublishedSlots(List<SlotJson> slots) {
    }

    /**
     * Operators' and load tests' oversell check: {@code confirmed} counts, in PostgreSQL, the bookings holding
     * a seat (confirmed, or waiting for their payment); remaining + confirmed = capacity once settled.
     */
    public record SlotCounts(UUID id, int capacity, int remaining, long confirmed) {
    }

    @POST
    @Operation(operationId = "publishSlots", summary = "Publish a doctor's slots with a release instant; inventory is pre-warmed before this returns",
            description = "admission (optional) chooses FIRST_COME (the default) or QUEUE, the waiting room, for the department-day; "
                    + "the first publication of a department-day fixes it and later ones must agree or omit it "
                    + "(409 admission-conflict), and a QUEUE day has one releaseAt for all its slots.")
    @APIResponse(responseCode = "201", description = "The published slots",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PublishedSlots.class)))
    @APIResponse(responseCode = "404", description = "`doctor-not-found`")
    @APIResponse(responseCode = "409", description = "`slot-conflict` (the doctor already has a slot at that start), `admission-conflict` (the department-day was published with another admission)")
    @APIResponse(responseCode = "422", description = "`not-qualified` (a FIRST slot for a doctor not qualified for first visits)")
    public Uni<Response> publish(@Valid @NotNull PublishSlots request) {
        checkTimes(request, time.now());
        List<SlotPublisher.SlotSpec> specs = request.slots().stream()
                .map(s -> new SlotPublisher.SlotSpec(s.start(), s.end(), s.capacity(), s.fee() == null ? 0 : s.fee())).toList();
        AdmissionPolicy admission = request.admission() == null ? null : request.admission().policy();
        return publisher.publish(UUID.fromString(request.doctorId()), request.visitType(), request.releaseAt(), specs, admission)
                .map(views -> Response.status(Response.Status.CREATED)
                        .entity(new PublishedSlots(views.stream()
                                .map(v -> SlotJson.of(v, v.capacity(), SlotStatus.of(v, v.capacity(), time.now())))
                                .toList()))
                        .build());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "slotCounts", summary = "Capacity, remaining places (Redis) and confirmed bookings (PostgreSQL) of one slot")
    @APIResponse(responseCode = "200", description = "The slot's counts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SlotCounts.class)))
    @APIResponse(responseCode = "404", description = "`slot-not-found`")
    public Uni<SlotCounts> counts(@PathParam("id") String id) {
        UUID slotId = Ids.parse(id).orElseThrow(() -> Problem.notFound("slot-not-found"));
        return directory.find(slotId).flatMap(slot -> availability.remaining(slot)
                .flatMap(remaining -> queries.activeCount(slotId)
                        .map(confirmed -> new SlotCounts(slotId, slot.capacity(), remaining, confirmed))));
    }

    private static void checkTimes(PublishSlots request, Instant now) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Instant horizon = now.plus(java.time.Duration.ofDays(HospitalTime.HORIZON_DAYS));
        if (request.releaseAt().toInstant().isBefore(now.minus(java.time.Duration.ofDays(HospitalTime.HORIZON_DAYS)))
                || request.releaseAt().toInstant().isAfter(horizon)) {
            errors.add(new Problem.FieldError("releaseAt", "must be within " + HospitalTime.HORIZON_DAYS + " days of now"));
        }
        for (int i = 0; i < request.slots().size(); i++) {
            NewSlot slot = request.slots().get(i);
            if (!slot.start().isBefore(slot.end())) {
                errors.add(new Problem.FieldError("slots[" + i + "].end", "must be after start"));
            }
            if (!slot.start().isAfter(request.releaseAt())) {
                errors.add(new Problem.FieldError("slots[" + i + "].start", "must be after releaseAt"));
            }
            if (!slot.start().toInstant().isAfter(now)) {
                errors.add(new Problem.FieldError("slots[" + i + "].start", "must be in the future"));
            } else if (slot.start().toInstant().isAfter(horizon)) {
                errors.add(new Problem.FieldError("slots[" + i + "].start", "must be within " + HospitalTime.HORIZON_DAYS + " days"));
            }
            if (java.time.Duration.between(slot.start(), slot.end()).toHours() > 24) {
                errors.add(new Problem.FieldError("slots[" + i + "].end", "a slot lasts at most 24 hours"));
            }
        }
        if (!errors.isEmpty()) {
            throw Problem.invalidRequest("invalid-slot-times", errors);
        }
    }
}
