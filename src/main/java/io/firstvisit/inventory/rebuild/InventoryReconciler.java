package io.firstvisit.inventory.rebuild;

import io.firstvisit.inventory.ActiveDays;
import io.firstvisit.inventory.DepartmentDay;
import io.firstvisit.inventory.Inventory;
import io.firstvisit.inventory.InventoryConfig;
import io.firstvisit.inventory.WarmSlot;
import io.firstvisit.audit.AuditTrail;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.common.OutageLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Compares Redis with PostgreSQL, department-day by department-day, and repairs what drifted: seats
 * PostgreSQL holds but Redis offers (removed: they would oversell), bookings Redis does not know
 * (added), and seats nobody holds (returned: a lost release, e.g. Redis was down when a booking was
 * cancelled). Runs at start and periodically on every instance; each repair is one atomic script, so
 * instances running it at once do no harm. Found drift is exported as
 * {@code firstvisit_inventory_drift_total{kind=removed|added|returned}}.
 */
@ApplicationScoped
public class InventoryReconciler {

    private static final Logger LOG = Logger.getLogger(InventoryReconciler.class);

    private final Inventory inventory;
    private final ActiveDays activeDays;
    private final InventoryConfig config;
    private final Pool pool;
    private final AuditTrail audit;
    private final Counter removed;
    private final Counter added;
    private final Counter returned;

    public InventoryReconciler(Inventory inventory, ActiveDays activeDays, InventoryConfig config, Pool pool, AuditTrail audit, MeterRegistry registry) {
        this.audit = audit;
        this.inventory = inventory;
        this.activeDays = activeDays;
        this.config = config;
        this.pool = pool;
        this.removed = drift(registry, "removed");
        this.added = drift(registry, "added");
        this.returned = drift(registry, "returned");
    }

    private final OutageLog outage = new OutageLog(LOG, "Inventory reconciliation");

    void onStart(@Observes StartupEvent event) {
        reconcileAll().subscribe().with(ignored -> { }, f -> LOG.warnf("Start-up reconciliation failed: %s", f.toString()));
    }

    @Scheduled(every = "{firstvisit.inventory.reconcile-interval}", delayed = "{firstvisit.inventory.reconcile-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> reconcileAll() {
        LocalDate oldest = LocalDate.now(HospitalTime.ZONE).minusDays(1);
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        return activeDays.get()
                .onItem().transformToMulti(days -> Multi.createFrom().iterable(days))
                .select().where(day -> !day.date().isBefore(oldest))
                .onItem().transformToUniAndConcatenate(day -> reconcile(day)
                        .onFailure().invoke(f -> failed.compareAndSet(null, new IllegalStateException("reconciliation of " + day.id()
                                + " failed: " + f, f)))
                        .onFailure().recoverWithNull())
                .collect().last()
                .invoke(() -> {
                    if (failed.get() == null) {
                        outage.succeeded();
                    } else {
                        outage.failed(failed.get());
                    }
                })
                .onFailure().invoke(outage::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Reconciles one department-day now; empty when Redis does not hold it (nothing to compare). */
    public Uni<Inventory.Drift> reconcile(DepartmentDay day) {
        Instant now = Instant.now();
        return snapshot(day)
                .flatMap(slots -> slots.isEmpty()
                        ? Uni.createFrom().item(java.util.Optional.<Inventory.Drift>empty())
                        : waiting(day).flatMap(waiting -> inventory.reconcile(day, slots, waiting, now, grace())))
                .map(found -> found.orElse(new Inventory.Drift(0, 0, 0)))
                .call(drift -> {
                    if (drift.total() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    removed.increment(drift.removed());
                    added.increment(drift.added());
                    returned.increment(drift.returned());
                    String what = String.format("inventory of %s repaired from PostgreSQL: %d offered seat(s) removed, "
                            + "%d booking(s) added, %d seat(s) returned", day.id(), drift.removed(), drift.added(), drift.returned());
                    LOG.warn(what);
                    return audit.record(AuditTrail.Action.INVENTORY_REPAIRED, null, null, null, what);
                });
    }

    private Duration grace() {
        return grace(config.reservationTimeout());
    }

    /**
     * A reservation can only be returned once no commit for it can still land: it was given
     * {@code reservation-timeout} to commit and PostgreSQL cancels statements before that
     * (TimeoutRelations refuses to start otherwise).
     */
    public static Duration grace(Duration reservationTimeout) {
        return reservationTimeout.multipliedBy(2);
    }

    /**
     * The day's WAITING waitlist entries, read after the seats' snapshot: an entry that joined in between is added
     * (harmless: it waits), one that stopped in between is removed again by the offerer (it asks PostgreSQL).
     */
    private Uni<List<UUID>> waiting(DepartmentDay day) {
        return pool.preparedQuery(InventoryRebuilder.WAITING)
                .execute(Tuple.of(day.hospital(), day.department(), day.date()))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>(rows.size());
                    rows.forEach(row -> ids.add(row.getUUID(0)));
                    return ids;
                });
    }

    private Uni<List<Inventory.ReconcileSlot>> snapshot(DepartmentDay day) {
        return pool.preparedQuery("""
                        SELECT s.id AS slot_id, s.capacity, b.id, b.seat, b.patient_id, b.account_id, b.created_at
                          FROM slot s
                          JOIN department dep ON dep.id = s.department_id
                          JOIN hospital h ON h.id = dep.hospital_id
                          LEFT JOIN booking b ON b.slot_id = s.id AND b.active
                         WHERE h.code = $1 AND dep.code = $2 AND s.visit_date = $3
                        """)
                .execute(Tuple.of(day.hospital(), day.department(), day.date()))
                .map(rows -> {
                    Map<UUID, Integer> capacity = new HashMap<>();
                    Map<UUID, List<WarmSlot.HeldSeat>> held = new HashMap<>();
                    for (Row row : rows) {
                        UUID slot = row.getUUID("slot_id");
                        capacity.put(slot, row.getInteger("capacity"));
                        List<WarmSlot.HeldSeat> seats = held.computeIfAbsent(slot, k -> new ArrayList<>());
                        if (row.getUUID("id") != null) {
                            seats.add(new WarmSlot.HeldSeat(row.getUUID("id"), row.getInteger("seat"), row.getUUID("patient_id"),
                                    row.getOffsetDateTime("created_at").toInstant().toEpochMilli(), row.getString("account_id")));
                        }
                    }
                    List<Inventory.ReconcileSlot> slots = new ArrayList<>();
                    capacity.forEach((slot, cap) -> slots.add(new Inventory.ReconcileSlot(slot, cap, held.get(slot))));
                    return slots;
                });
    }

    private static Counter drift(MeterRegistry registry, String kind) {
        return Counter.builder("firstvisit.inventory.drift")
                .description("Seats found out of step between Redis and PostgreSQL by the reconciler, and repaired")
                .tag("kind", kind)
                .register(registry);
    }
}
