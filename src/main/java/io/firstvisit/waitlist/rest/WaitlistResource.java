package io.firstvisit.waitlist.rest;

import io.firstvisit.common.HospitalTime;
import io.firstvisit.common.Ids;
import io.firstvisit.common.Locations;
import io.firstvisit.problem.Problem;
import io.firstvisit.security.AccountRateLimiter;
import io.firstvisit.security.CurrentAccount;
import io.firstvisit.waitlist.Waitlist;
import io.firstvisit.waitlist.WaitlistEntryJson;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

@Path("/api/v1/waitlist")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("patient")
@Tag(name = "waitlist")
public class WaitlistResource {

    private static final String PATH = "/api/v1/waitlist";
    private final Waitlist waitlist;
    private final CurrentAccount account;
    private final HospitalTime time;
    private final AccountRateLimiter limiter;

    public WaitlistResource(Waitlist waitlist, CurrentAccount account, HospitalTime time, AccountRateLimiter limiter) {
        this.limiter = limiter;
        this.waitlist = waitlist;
        this.account = account;
        this.time = time;
    }

    @POST
    @Operation(operationId = "joinWaitlist", summary = "Join a sold-out department-day's waitlist for one of the caller's patients",
            description = "Accepted only while every released, not yet started slot of the department on that date is FULL. "
                    + "One WAITING entry per patient per department-day: asking again answers 200 with the same entry. A place "
                    + "that comes back is offered to the first waiting entry: a booking OFFERED (free slot; accept it with "
                    + "POST /bookings/{id}/accept) or PENDING_PAYMENT (paid slot; pay for it) until offerExpiresAt.")
    @APIResponse(responseCode = "201", description = "Joined; position 1 is offered the next place",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WaitlistEntryJson.class)))
    @APIResponse(responseCode = "200", description = "The patient's waiting entry of that day, unchanged",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WaitlistEntryJson.class)))
    @APIResponse(responseCode = "404", description = "`department-not-found`, `patient-not-found`, `slot-not-found` (no slots that day)")
    @APIResponse(responseCode = "409", description = "`places-available` (carries `slotId`: book instead), `not-open` (carries `releaseAt`), `closed`, `already-booked`, `account-limit`")
    @APIResponse(responseCode = "422", description = "`not-eligible` (`reason`: age)")
    @APIResponse(responseCode = "429", description = "`rate-limited`: joins count against the account's booking-attempt rate")
    public Uni<Response> join(@Valid @NotNull WaitlistRequest request) {
        LocalDate date = date(request.date());
        limiter.acquire(account.id()); // a join costs PostgreSQL reads: the booking attempts' per-account rate bounds it too
        return waitlist.join(account.id(), request.hospital(), request.department(), date, java.util.UUID.fromString(request.patientId()))
                .map(joined -> (joined.created()
                        ? Locations.created(PATH + "/" + joined.entry().id())
                        : Response.ok()).entity(joined.entry()).build());
    }

    @GET
    @Operation(operationId = "listWaitlist", summary = "The caller's waitlist entries, newest first, with their state and position")
    @APIResponse(responseCode = "200", description = "Entries, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WaitlistEntryJson.class, type = SchemaType.ARRAY)))
    public Uni<List<WaitlistEntryJson>> list() {
        return waitlist.list(account.id());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getWaitlistEntry", summary = "One of the caller's waitlist entries")
    @APIResponse(responseCode = "200", description = "The entry",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WaitlistEntryJson.class)))
    @APIResponse(responseCode = "404", description = "`waitlist-entry-not-found` (also another account's)")
    public Uni<WaitlistEntryJson> get(@PathParam("id") String id) {
        return waitlist.find(account.id(), Ids.parse(id).orElseThrow(Waitlist::notFound));
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "leaveWaitlist", summary = "Leave the waitlist; leaving again answers the entry as it is")
    @APIResponse(responseCode = "200", description = "The entry, LEFT (or as it already was)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WaitlistEntryJson.class)))
    @APIResponse(responseCode = "404", description = "`waitlist-entry-not-found` (also another account's)")
    @APIResponse(responseCode = "409", description = "`offer-pending` (carries `bookingId`): a place is offered to this entry; cancel its booking to decline")
    public Uni<WaitlistEntryJson> leave(@PathParam("id") String id) {
        return waitlist.leave(account.id(), Ids.parse(id).orElseThrow(Waitlist::notFound));
    }

    private LocalDate date(String value) {
        try {
            LocalDate day = LocalDate.parse(value);
            LocalDate today = time.today();
            if (day.isBefore(today) || day.isAfter(today.plusDays(HospitalTime.HORIZON_DAYS))) {
                throw invalidDate("must be between " + today + " and " + today.plusDays(HospitalTime.HORIZON_DAYS));
            }
            return day;
        } catch (DateTimeParseException e) {
            throw invalidDate("must be a calendar date YYYY-MM-DD");
        }
    }

    private static Problem invalidDate(String message) {
        return Problem.invalidRequest("invalid-body", List.of(new Problem.FieldError("date", message)));
    }
}
