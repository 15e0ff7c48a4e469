package io.firstvisit.queue;

import io.firstvisit.common.ExpiringHints;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.problem.Problem;
import io.firstvisit.inventory.DepartmentDay;
import io.firstvisit.queue.TicketQueries.TicketRow;
import io.firstvisit.queue.WaitingLine.Spot;
import io.firstvisit.schedule.AdmissionPolicy;
import io.firstvisit.schedule.SlotStatus;
import io.firstvisit.schedule.SlotView;
import io.firstvisit.schedule.service.Availability;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The waiting room of QUEUE releases (issue 11 §1). A ticket is recorded in PostgreSQL first (one per account per
 * department-day), then placed in the day's line in Redis (queue.lua), which decides its position and admission
 * instant. Admission is by the clock: the ticket at position p is admitted at release + (p - 1) / admitPerSecond
 * (the back of the line: the instant Redis gave it), for passMinutes. Every instance computes the same instants,
 * so the rate holds across all of them without any coordination, and a poll needs Redis only until the position
 * is known: positions never move, so each instance keeps the tickets it has seen.
 */
@ApplicationScoped
public class WaitingRoom {

    private static final Logger LOG = Logger.getLogger(WaitingRoom.class);
    public static final String TICKETS_PATH = "/api/v1/queue/tickets";
    /** Tickets one instance remembers (a few hundred bytes each): a release minute's crowd, with room to spare. */
    static final int KNOWN_TICKETS = 250_000;
    static final Duration KNOWN_FOR = Duration.ofMinutes(30);

    private final Availability availability;
    private final TicketQueries queries;
    private final WaitingLine line;
    private final HospitalTime time;
    private final SecureRandom random = new SecureRandom();
    private final ExpiringHints<UUID, Ticket> known = new ExpiringHints<>(KNOWN_FOR, KNOWN_TICKETS);
    private final Map<DepartmentDay, Uni<Void>> rebuilding = new ConcurrentHashMap<>();

    public WaitingRoom(Availability availability, TicketQueries queries, WaitingLine line, HospitalTime time) {
        this.availability = availability;
        this.queries = queries;
        this.line = line;
        this.time = time;
    }

    /** Forgets every ticket this instance has seen: the next look at each asks Redis (tests of a lost line). */
    void forgetSeen() {
        known.clear();
    }

    /** A department-day's release as the waiting room needs it, from the availability cache. */
    public record Release(DepartmentDay day, UUID departmentId, AdmissionPolicy policy, Instant releaseAt, boolean soldOut,
                          boolean over) {
        double interval() {
            return policy.intervalMicros();
        }
    }

    /** A ticket and where it stands now. */
    public record Seen(Ticket ticket, Release release, Ticket.Status status) {
    }

    /** The account's ticket for the day: the one it has, or a new one (also when its pass expired unused). */
    public Uni<Seen> take(String account, DepartmentDay day) {
        return release(day).flatMap(release -> {
            Instant now = time.now();
            if (!release.policy().queued()) {
                throw Problem.of(409, "queue-not-used", "queue-not-used", day.department(), day.date());
            }
            Instant opens = release.policy().queueOpensAt(release.releaseAt());
            if (now.isBefore(opens)) {
                throw Problem.of(409, "queue-not-open", "queue-not-open", HospitalTime.local(opens))
                        .with("queueOpensAt", HospitalTime.local(opens)).retryAfter(Duration.between(now, opens));
            }
            if (release.over()) {
                throw Problem.of(409, "queue-closed", "queue-closed");
            }
            return takeAt(account, release, now, true);
        });
    }

    private Uni<Seen> takeAt(String account, Release release, Instant now, boolean mayRequeue) {
        Double draw = now.isBefore(release.releaseAt()) ? random.nextDouble() : null;
        return Uni.createFrom().deferred(() -> queries.take(UUID.randomUUID(), release.departmentId(), release.day().date(), account,
                        draw, now))
                .onFailure(TicketQueries.ConcurrentTake.class).retry().atMost(1)
                .flatMap(row -> place(release, row, now, true))
                .flatMap(ticket -> {
                    Ticket.Status status = ticket.status(release.policy(), release.releaseAt(), now, release.soldOut());
                    if (status.state() == TicketState.EXPIRED && mayRequeue) {
                        // Its turn came and went: a new ticket at the back, the old one keeps its place (positions never move).
                        return queries.supersede(ticket.id().id(), now).chain(() -> takeAt(account, release, now, false));
                    }
                    return Uni.createFrom().item(new Seen(ticket, release, status));
                });
    }

    /** The caller's ticket; another account's, or an id that is none, is not found. */
    public Uni<Seen> find(String account, String ticketId) {
        TicketId id = TicketId.parse(ticketId).orElseThrow(WaitingRoom::notFound);
        return release(id.day()).flatMap(release -> {
            if (!release.policy().queued()) {
                throw notFound();
            }
            Instant now = time.now();
            return ticket(release, id, now).map(ticket -> {
                if (!ticket.account().equals(account)) {
                    throw notFound();
                }
                return new Seen(ticket, release, ticket.status(release.policy(), release.releaseAt(), now, release.soldOut()));
            });
        });
    }

    /**
     * The booking path's gate on a QUEUE release: the Admission-Ticket header must name an ADMITTED ticket of this
     * account for this department-day. Else 403 queue-required, which names where to queue.
     */
    public Uni<Void> checkPass(String account, String admissionTicket, SlotView slot) {
        if (admissionTicket == null || admissionTicket.isBlank()) {
            return Uni.createFrom().failure(queueRequired(slot, "no-ticket"));
        }
        Optional<TicketId> id = TicketId.parse(admissionTicket.strip());
        if (id.isEmpty() || !id.get().day().equals(slot.day())) {
            return Uni.createFrom().failure(queueRequired(slot, "other-day"));
        }
        return find(account, admissionTicket.strip())
                .onFailure(f -> f instanceof Problem p && p.status() == 404)
                .transform(f -> queueRequired(slot, "not-yours"))
                .invoke(seen -> {
                    if (seen.status().state() != TicketState.ADMITTED) {
                        throw queueRequired(slot, switch (seen.status().state()) {
                            case EXPIRED -> "expired";
                            default -> "waiting";
                        }).with("ticketState", seen.status().state() == TicketState.SOLD_OUT ? TicketState.WAITING : seen.status().state());
                    }
                })
                .replaceWithVoid();
    }

    /** 403 queue-required; {@code why} names the detail (queue-required.no-ticket, .other-day, .not-yours, .expired, .waiting). */
    private static Problem queueRequired(SlotView slot, String why) {
        return Problem.of(403, "queue-required", "queue-required." + why, slot.department(), slot.date(), TICKETS_PATH)
                .with("queue", TICKETS_PATH).with("hospital", slot.hospital()).with("department", slot.department())
                .with("date", slot.date().toString());
    }

    public static Problem notFound() {
        return Problem.notFound("ticket-not-found");
    }

    /** The ticket from this instance's memory while it still tells everything, else from the line (one round trip). */
    private Uni<Ticket> ticket(Release release, TicketId id, Instant now) {
        Ticket seen = known.get(id.id());
        if (seen != null && seen.current(release.releaseAt(), now)) {
            return Uni.createFrom().item(seen);
        }
        return look(release, id, now, true);
    }

    private Uni<Ticket> look(Release release, TicketId id, Instant now, boolean mayRebuild) {
        return line.look(release.day(), release.releaseAt(), id.toString()).flatMap(spot -> {
            if (spot instanceof Spot.Placed placed) {
                return Uni.createFrom().item(remember(release, id, placed, now));
            }
            if (spot instanceof Spot.Cold) {
                return afterRebuild(release, mayRebuild, () -> look(release, id, now, false));
            }
            // Not in the line: an id that is none, or a ticket whose placement was lost with Redis (placed again now).
            return queries.byId(id.id()).flatMap(row -> row
                    .filter(r -> r.departmentId().equals(release.departmentId()) && r.date().equals(release.day().date()))
                    .map(r -> place(release, r, now, false))
                    .orElseGet(() -> Uni.createFrom().failure(notFound())));
        });
    }

    private Uni<Ticket> place(Release release, TicketRow row, Instant now, boolean mayRebuild) {
        TicketId id = new TicketId(release.day(), row.id());
        WaitingLine.Recorded recorded = new WaitingLine.Recorded(id.toString(), row.account(), row.draw(), row.joined(), row.admitAt());
        return line.place(release.day(), recorded, now, release.releaseAt(), release.interval()).flatMap(spot -> {
            if (spot instanceof Spot.Placed placed) {
                Ticket ticket = remember(release, id, placed, now);
                return placed.admitAt() != null && row.joined() == null
                        ? queries.placed(row.id(), placed.joined(), placed.admitAt()).replaceWith(ticket)
                        : Uni.createFrom().item(ticket);
            }
            if (spot instanceof Spot.Cold) {
                return afterRebuild(release, mayRebuild, () -> place(release, row, now, false));
            }
            return Uni.createFrom().failure(new IllegalStateException("queue.lua place answered UNKNOWN"));
        });
    }

    /** The line was not in Redis: load it, then try once more (a second miss is a Redis in trouble: 503). */
    private Uni<Ticket> afterRebuild(Release release, boolean mayRebuild, java.util.function.Supplier<Uni<Ticket>> again) {
        if (!mayRebuild) {
            return Uni.createFrom().failure(Problem.unavailable("queue-restoring", Duration.ofSeconds(1)));
        }
        return rebuild(release).chain(() -> again.get());
    }

    private Ticket remember(Release release, TicketId id, Spot.Placed placed, Instant now) {
        boolean released = !now.isBefore(release.releaseAt());
        Ticket ticket = new Ticket(id, placed.account(), placed.admitAt(), released || placed.admitAt() != null ? placed.rank() : null);
        known.put(id.id(), ticket);
        return ticket;
    }

    /**
     * Loads the day's line from PostgreSQL, once per instance at a time however many requests found it cold. A
     * request that found it cold while another instance (or this one, just before) was loading it looks first, so a
     * crowd arriving at a cold line reads PostgreSQL's tickets once, not once per request.
     */
    private Uni<Void> rebuild(Release release) {
        return Uni.createFrom().deferred(() -> rebuilding.computeIfAbsent(release.day(), day -> line
                .look(day, release.releaseAt(), "-")
                .flatMap(spot -> spot instanceof Spot.Cold ? load(release) : Uni.createFrom().voidItem())
                .onTermination().invoke(() -> rebuilding.remove(day))
                .memoize().indefinitely()));
    }

    private Uni<Void> load(Release release) {
        DepartmentDay day = release.day();
        return queries.byDay(release.departmentId(), day.date()).flatMap(rows -> {
            LOG.infof("Loading the waiting room of %s from PostgreSQL: %d tickets", day.id(), rows.size());
            List<WaitingLine.Recorded> recorded = rows.stream().map(r -> new WaitingLine.Recorded(
                    new TicketId(day, r.id()).toString(), r.account(), r.draw(), r.joined(), r.admitAt())).toList();
            return line.load(day, release.releaseAt(), recorded, release.interval());
        });
    }

    private Uni<Release> release(DepartmentDay day) {
        return availability.of(day).map(slots -> {
            if (slots.isEmpty()) {
                throw Problem.notFound("release-not-found", day.department(), day.date());
            }
            SlotView first = slots.get(0).slot();
            Instant releaseAt = first.releaseAt().toInstant();
            boolean released = !time.now().isBefore(releaseAt);
            boolean soldOut = released && slots.stream().noneMatch(a -> a.status() == SlotStatus.OPEN);
            boolean over = slots.stream().allMatch(a -> a.status() == SlotStatus.CLOSED || a.status() == SlotStatus.CANCELLED);
            return new Release(day, first.departmentId(), first.admission(), releaseAt, soldOut, over);
        });
    }
}
