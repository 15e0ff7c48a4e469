package io.firstvisit.queue;

import io.firstvisit.inventory.DepartmentDay;
import io.firstvisit.inventory.Inventory;
import io.firstvisit.inventory.InventoryKeys;
import io.firstvisit.redis.GuardedRedis;
import io.firstvisit.redis.LuaScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java face of queue.lua: a QUEUE department-day's line in Redis. Each call is one round trip under
 * {@link GuardedRedis}'s budget and breaker.
 */
@ApplicationScoped
public class WaitingLine {

    /** Tickets per load call when a day is rebuilt from PostgreSQL: one script call stays short. */
    static final int LOAD_CHUNK = 2_000;

    private final GuardedRedis redis;
    private final InventoryKeys keys;
    private final Inventory inventory;
    private final LuaScript script = LuaScript.load("queue");

    public WaitingLine(GuardedRedis redis, InventoryKeys keys, Inventory inventory) {
        this.redis = redis;
        this.keys = keys;
        this.inventory = inventory;
    }

    /** What the line says of one ticket. */
    public sealed interface Spot {
        /** Redis does not have this day's line (never loaded, or lost): rebuild it from PostgreSQL. */
        record Cold() implements Spot {
        }

        record Unknown() implements Spot {
        }

        /**
         * {@code admitAt} is set for a ticket at the back (joined after the release); a drawn ticket's follows from
         * its rank. {@code rank} is 0-based over the whole line.
         */
        record Placed(String account, Instant admitAt, long rank, double score) implements Spot {
            public Long joined() {
                return admitAt == null ? null : (long) score - 1;
            }
        }
    }

    public Uni<Spot> look(DepartmentDay day, Instant releaseAt, String ticketId) {
        return redis.run(script, keys(day), List.of("look", Long.toString(micros(releaseAt)), ticketId)).map(WaitingLine::spot);
    }

    /**
     * Puts a ticket in the line (or answers where it already is): by its draw before the release, else at the back.
     * A ticket PostgreSQL already recorded at the back ({@code joined} set) goes back to exactly that place.
     */
    public Uni<Spot> place(DepartmentDay day, Recorded ticket, Instant now, Instant releaseAt, double intervalMicros) {
        return redis.run(script, keys(day), List.of("place", Long.toString(micros(releaseAt)), ticket.id(), ticket.account(),
                        ticket.draw() == null ? "" : Double.toString(ticket.draw()),
                        Long.toString(micros(now)), Double.toString(intervalMicros),
                        Long.toString(inventory.expireAt(day)),
                        ticket.joined() == null ? "" : Long.toString(ticket.joined()),
                        ticket.admitAt() == null ? "" : Long.toString(micros(ticket.admitAt()))))
                .map(WaitingLine::spot);
    }

    /** A ticket as PostgreSQL recorded it, for {@link #load}. */
    public record Recorded(String id, String account, Double draw, Long joined, Instant admitAt) {
    }

    /** Rebuilds a day's line from PostgreSQL's tickets; a line already loaded (by another instance) is left alone. */
    public Uni<Void> load(DepartmentDay day, Instant releaseAt, List<Recorded> tickets, double intervalMicros) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        int chunks = Math.max(1, (tickets.size() + LOAD_CHUNK - 1) / LOAD_CHUNK);
        for (int c = 0; c < chunks; c++) {
            List<Recorded> chunk = tickets.subList(c * LOAD_CHUNK, Math.min(tickets.size(), (c + 1) * LOAD_CHUNK));
            boolean first = c == 0;
            boolean last = c == chunks - 1;
            chain = chain.chain(() -> redis.run(script, keys(day), loadArgs(day, releaseAt, chunk, intervalMicros, first, last))
                    .replaceWithVoid());
        }
        return chain;
    }

    private List<String> loadArgs(DepartmentDay day, Instant releaseAt, List<Recorded> chunk, double intervalMicros, boolean first,
                                  boolean last) {
        List<String> args = new ArrayList<>(6 + 5 * chunk.size());
        args.addAll(List.of("load", Long.toString(micros(releaseAt)), Long.toString(inventory.expireAt(day)),
                Double.toString(intervalMicros), first ? "1" : "0", last ? "1" : "0"));
        for (Recorded t : chunk) {
            args.add(t.id());
            args.add(t.account());
            args.add(t.draw() == null ? "" : Double.toString(t.draw()));
            args.add(t.joined() == null ? "" : Long.toString(t.joined()));
            args.add(t.admitAt() == null ? "" : Long.toString(micros(t.admitAt())));
        }
        return args;
    }

    private List<String> keys(DepartmentDay day) {
        return List.of(keys.queueLoaded(day), keys.queueLine(day), keys.queueTickets(day), keys.queueMeta(day));
    }

    /** The record is "admitMicros account" ("-" for a drawn ticket); the account comes last and is kept whole. */
    private static Spot spot(Response reply) {
        return switch (reply.get(0).toString()) {
            case "COLD" -> new Spot.Cold();
            case "UNKNOWN" -> new Spot.Unknown();
            default -> {
                String[] record = reply.get(1).toString().split(" ", 2);
                Instant admitAt = record[0].equals("-") ? null : fromMicros(Long.parseLong(record[0]));
                yield new Spot.Placed(record[1], admitAt, Long.parseLong(reply.get(2).toString()),
                        Double.parseDouble(reply.get(3).toString()));
            }
        };
    }

    static long micros(Instant t) {
        return Math.multiplyExact(t.getEpochSecond(), 1_000_000L) + t.getNano() / 1_000;
    }

    static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
