package io.firstvisit.inventory.rebuild;

import io.firstvisit.inventory.DepartmentDay;
import io.firstvisit.inventory.Inventory;
import io.firstvisit.inventory.WarmSlot;
import io.firstvisit.audit.AuditTrail;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotStatus;
import io.firstvisit.schedule.SlotQueries;
import io.firstvisit.schedule.SlotView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * I4: rebuilds a department-day's inventory from PostgreSQL when Redis does not have it (first use,
 * restart, flush, failover). Free seats are capacity minus the seats of active bookings, from one
 * snapshot; warm.lua only loads slots Redis does not already have, so a rebuild never overwrites
 * live reservations. Concurrent requests for the same cold day on this instance share one rebuild.
 */
@ApplicationScoped
public class InventoryRebuilder {

    private static final Logger LOG = Logger.getLogger(InventoryRebuilder.class);

    private final SlotQueries slots;
    private final SlotDirectory directory;
    private final Inventory inventory;
    private final Pool pool;
    private final AuditTrail audit;
    private final Counter rebuilds;
    private final HospitalTime time;
    private final Map<DepartmentDay, Uni<Void>> inFlight = new ConcurrentHashMap<>();

    /** A department-day's WAITING waitlist entries (V11); the reconciler reads the same. */
    public static final String WAITING = """
            SELECT w.id FROM waitlist_entry w
              JOIN department dep ON dep.id = w.department_id
              JOIN hospital h ON h.id = dep.hospital_id
             WHERE h.code = $1 AND dep.code = $2 AND w.visit_date = $3 AND w.state = 'WAITING'
            """;

    public InventoryRebuilder(SlotQueries slots, SlotDirectory directory, Inventory inventory, Pool pool, AuditTrail audit,
                              HospitalTime time, MeterRegistry registry) {
        this.time = time;
        this.audit = audit;
        this.slots = slots;
        this.directory = directory;
        this.inventory = inventory;
        this.pool = pool;
        this.rebuilds = Counter.builder("firstvisit.inventory.rebuilds")
                .description("Department-days whose inventory was rebuilt from PostgreSQL").register(registry);
    }

    public Uni<Void> rebuild(DepartmentDay day) {
        return inFlight.computeIfAbsent(day, d -> load(d)
                .onTermination().invoke(() -> inFlight.remove(d))
                .memoize().indefinitely());
    }

    /** Publishing: slots nobody can have booked yet go in with every seat free. */
    public Uni<Void> publish(DepartmentDay day, List<SlotView> views) {
        List<WarmSlot> fresh = views.stream().map(v -> WarmSlot.fresh(v.id(), v.capacity(), directory.json(v))).toList();
        return inventory.warm(day, fresh, List.of(), List.of()).call(() -> directory.remember(views)).replaceWithVoid();
    }

    private Uni<Void> load(DepartmentDay day) {
        return slots.byDay(day)
                .flatMap(views -> heldSeats(views).flatMap(held -> slots.cancelledOn(day).flatMap(cancelled -> waiting(day).flatMap(waiting -> {
                    List<WarmSlot> warm = new ArrayList<>(views.size());
                    for (SlotView view : views) {
                        List<WarmSlot.HeldSeat> taken = held.getOrDefault(view.id(), List.of());
                        warm.add(new WarmSlot(view.id(), view.capacity(), directory.json(view), cancelled.contains(view.id()),
                                freeSeats(view.capacity(), taken), taken));
                    }
                    Instant now = time.now();
                    List<UUID> open = views.stream()
                            .filter(view -> !cancelled.contains(view.id()) && SlotStatus.at(view, now) == SlotStatus.OPEN)
                            .map(SlotView::id).toList();
                    return inventory.warm(day, warm, waiting, open).call(() -> directory.remember(views));
                }))))
                .call(warmed -> {
                    if (warmed == 0) {
                        return Uni.createFrom().voidItem(); // another instance rebuilt it first, or the day is empty
                    }
                    rebuilds.increment();
                    String what = "inventory of " + day.id() + " rebuilt from PostgreSQL: " + warmed + " slot(s) loaded";
                    LOG.info(what);
                    return audit.record(AuditTrail.Action.INVENTORY_REBUILT, null, null, null, what);
                })
                .replaceWithVoid();
    }

    /**
     * The day's WAITING waitlist entries (I12): while any waits, Redis lost which seats were parked for them, so the
     * rebuild parks every free seat it loads rather than hand parked ones to the crowd.
     */
    private Uni<List<UUID>> waiting(DepartmentDay day) {
        return pool.preparedQuery(WAITING).execute(Tuple.of(day.hospital(), day.department(), day.date()))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>(rows.size());
                    rows.forEach(row -> ids.add(row.getUUID(0)));
                    return ids;
                });
    }

    private Uni<Map<UUID, List<WarmSlot.HeldSeat>>> heldSeats(List<SlotView> views) {
        if (views.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        UUID[] ids = views.stream().map(SlotView::id).toArray(UUID[]::new);
        return pool.preparedQuery("SELECT id, slot_id, seat, patient_id, account_id, created_at FROM booking WHERE slot_id = ANY($1) AND active")
                .execute(Tuple.of(ids))
                .map(rows -> {
                    Map<UUID, List<WarmSlot.HeldSeat>> bySlot = new HashMap<>();
                    for (Row row : rows) {
                        bySlot.computeIfAbsent(row.getUUID("slot_id"), k -> new ArrayList<>())
                                .add(new WarmSlot.HeldSeat(row.getUUID("id"), row.getInteger("seat"), row.getUUID("patient_id"),
                                        row.getOffsetDateTime("created_at").toInstant().toEpochMilli(), row.getString("account_id")));
                    }
                    return bySlot;
                });
    }

    private static List<Integer> freeSeats(int capacity, List<WarmSlot.HeldSeat> taken) {
        Set<Integer> held = new HashSet<>();
        taken.forEach(t -> held.add(t.seat()));
        List<Integer> free = new ArrayList<>(capacity - held.size());
        for (int seat = 1; seat <= capacity; seat++) {
            if (!held.contains(seat)) {
                free.add(seat);
            }
        }
        return free;
    }
}
