package io.firstvisit.queue.rest;

import io.firstvisit.common.Locations;
import io.firstvisit.catalog.Catalog;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.common.Text;
import io.firstvisit.inventory.DepartmentDay;
import io.firstvisit.queue.TicketState;
import io.firstvisit.queue.WaitingRoom;
import io.firstvisit.security.AccountRateLimiter;
import io.firstvisit.security.CurrentAccount;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;
import java.time.OffsetDateTime;

@Path(WaitingRoom.TICKETS_PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("patient")
@Tag(name = "waiting room")
public class QueueTicketResource {

    private final WaitingRoom room;
    private final Catalog catalog;
    private final CurrentAccount account;
    private final AccountRateLimiter limiter;

    public QueueTicketResource(WaitingRoom room, Catalog catalog, CurrentAccount account, AccountRateLimiter limiter) {
        this.room = room;
        this.catalog = catalog;
        this.account = account;
        this.limiter = limiter;
    }

    public record TicketRequest(@NotNull @Pattern(regexp = Text.CODE, message = Text.CODE_MESSAGE) String hospital,
                                @NotNull @Pattern(regexp = Text.CODE, message = Text.CODE_MESSAGE) String department,
                                @NotNull LocalDate date) {
    }

    /**
     * A ticket as the app shows it. {@code position} (1 = first in line), {@code ahead} (tickets admitted before this
     * one from now) and {@code estimatedAdmitAt} are null until the release instant: the order is drawn then.
     * {@code waitlist} is where to go on when SOLD_OUT.
     */
    public record TicketJson(String id, TicketState state, String hospital, String department, LocalDate date,
                             OffsetDateTime releaseAt, Integer position, Long ahead, OffsetDateTime estimatedAdmitAt,
                             OffsetDateTime admittedUntil, String waitlist) {

        static TicketJson of(WaitingRoom.Seen seen) {
            DepartmentDay day = seen.ticket().id().day();
            var status = seen.status();
            return new TicketJson(seen.ticket().id().toString(), status.state(), day.hospital(), day.department(), day.date(),
                    HospitalTime.local(seen.release().releaseAt()), status.position(), status.ahead(),
                    HospitalTime.local(status.estimatedAdmitAt()), HospitalTime.local(status.admittedUntil()),
                    status.state() == TicketState.SOLD_OUT ? "/api/v1/waitlist" : null);
        }
    }

    @POST
    @Operation(operationId = "takeTicket", summary = "Take the account's ticket for a QUEUE release (asking again returns the same ticket)",
            description = "From releaseAt - preQueueMinutes. Tickets taken before releaseAt are put in a uniformly random order at "
                    + "releaseAt, whenever they were taken; later ones join the back in arrival order. A ticket whose pass expired "
                    + "unused is replaced by a new one at the back. Retry-After says when to look again.")
    @APIResponse(responseCode = "201", description = "The account's ticket (Retry-After: when to look again)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TicketJson.class)),
            headers = @Header(name = "Retry-After", ref = "Retry-After"))
    @APIResponse(responseCode = "404", description = "`department-not-found`, `release-not-found`")
    @APIResponse(responseCode = "409", description = "`queue-not-used` (a FIRST_COME release), `queue-not-open` (carries `queueOpensAt`; Retry-After), `queue-closed`")
    @APIResponse(responseCode = "429", description = "`rate-limited`: tickets count against the account's booking-attempt rate")
    public Uni<Response> take(@Valid @NotNull TicketRequest request) {
        String owner = account.id();
        return Uni.createFrom().voidItem().invoke(() -> limiter.acquire(owner))
                .chain(() -> catalog.department(request.hospital(), request.department()))
                .chain(d -> room.take(owner, new DepartmentDay(d.hospitalCode(), d.code(), request.date())))
                .map(seen -> respond(Locations.created(WaitingRoom.TICKETS_PATH + "/" + seen.ticket().id()), seen));
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getTicket", summary = "The caller's ticket: state, position, estimated admission; Retry-After says when to look again",
            description = "Cheap to poll: an instance answers from its memory once the position is known.")
    @APIResponse(responseCode = "200", description = "WAITING, ADMITTED (book until admittedUntil with the Admission-Ticket header), EXPIRED, or SOLD_OUT (every slot taken: see the waitlist); Retry-After: when to look again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TicketJson.class)),
            headers = @Header(name = "Retry-After", ref = "Retry-After"))
    @APIResponse(responseCode = "404", description = "`ticket-not-found` (also another account's)")
    public Uni<Response> get(@PathParam("id") String id) {
        return room.find(account.id(), id).map(seen -> respond(Response.ok(), seen));
    }

    private static Response respond(Response.ResponseBuilder response, WaitingRoom.Seen seen) {
        if (seen.status().retryAfter() != null) {
            response.header("Retry-After", seen.status().retryAfter().toSeconds());
        }
        return response.entity(TicketJson.of(seen)).build();
    }
}
