package io.firstvisit.inventory;

import io.firstvisit.audit.AuditTrail;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.common.OutageLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * I3: a seat reserved in Redis whose booking row never committed (the instance crashed, PostgreSQL
 * timed out) goes back to the inventory once its deadline has passed. PostgreSQL decides: a reservation
 * with a booking row is confirmed, one without is released. Every instance runs this at once safely:
 * release.lua returns a seat only while the reservation still exists, so a seat comes back once.
 */
@ApplicationScoped
public class ReservationReaper {

    private static final Logger LOG = Logger.getLogger(ReservationReaper.class);
    private static final int BATCH = 200;

    private final Inventory inventory;
    private final ActiveDays activeDays;
    private final InventoryConfig config;
    private final Pool pool;
    private final AuditTrail audit;
    private final Counter returned;
    private final Counter settled;
    private final java.util.concurrent.atomic.AtomicLong pending = new java.util.concurrent.atomic.AtomicLong();
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> remaining = new ConcurrentHashMap<>();
    private final OutageLog outage = new OutageLog(LOG, "Reservation sweep");

    public ReservationReaper(Inventory inventory, ActiveDays activeDays, InventoryConfig config, Pool pool, AuditTrail audit, MeterRegistry registry) {
        this.audit = audit;
        this.registry = registry;
        this.inventory = inventory;
        this.activeDays = activeDays;
        this.config = config;
        this.pool = pool;
        this.returned = Counter.builder("firstvisit.reservations.expired")
                .description("Reservations whose booking never committed; their seats went back to the inventory")
                .register(registry);
        this.settled = Counter.builder("firstvisit.reservations.settled")
                .description("Overdue reservations found committed in PostgreSQL (their confirmation had not reached Redis)")
                .register(registry);
        registry.gauge("firstvisit.reservations.pending", pending);
    }

    @Scheduled(every = "{firstvisit.inventory.reaper-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> sweep() {
        Instant now = Instant.now();
        LocalDate oldest = LocalDate.now(HospitalTime.ZONE).minusDays(config.retentionDays());
        java.util.concurrent.atomic.AtomicLong waiting = new java.util.concurrent.atomic.AtomicLong();
        return activeDays.get()
                .onItem().transformToMulti(days -> Multi.createFrom().iterable(days))
                .onItem().transformToUniAndConcatenate(day -> day.date().isBefore(oldest)
                        ? inventory.forget(day).invoke(() -> forgetRemaining(day))
                        : sweep(day, now).chain(() -> inventory.pendingCount(day)).invoke(waiting::addAndGet)
                                .chain(() -> recordRemaining(day)))
                .collect().last()
                .invoke(() -> pending.set(waiting.get()))
                .invoke(outage::succeeded)
                .onFailure().invoke(outage::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * {@code firstvisit_inventory_remaining{day}}: free seats of a department-day in Redis, for the operator's
     * release-minute dashboard. One gauge per day this instance looks after, dropped with the day.
     */
    private Uni<Void> recordRemaining(DepartmentDay day) {
        return inventory.availability(day)
                .invoke(found -> found.ifPresent(rows -> remaining.computeIfAbsent(day.id(), id -> {
                    AtomicLong value = new AtomicLong();
                    Gauge.builder("firstvisit.inventory.remaining", value, AtomicLong::get)
                            .description("Free seats of a department-day in Redis").tag("day", id).register(registry);
                    return value;
                }).set(rows.stream().mapToLong(Inventory.ViewWithRemaining::remaining).sum())))
                .replaceWithVoid();
    }

    private void forgetRemaining(DepartmentDay day) {
        if (remaining.remove(day.id()) != null) {
            registry.find("firstvisit.inventory.remaining").tag("day", day.id()).meters().forEach(registry::remove);
        }
    }

    /** Settles the overdue reservations of one department-day; returns how many seats went back. */
    public Uni<Void> sweep(DepartmentDay day, Instant now) {
        return inventory.overdue(day, now, BATCH).flatMap(overdue -> {
            if (overdue.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            UUID[] ids = overdue.stream().map(Inventory.OverdueReservation::reservationId).toArray(UUID[]::new);
            return pool.preparedQuery("SELECT id FROM booking WHERE id = ANY($1)").execute(Tuple.of(ids))
                    .flatMap(rows -> {
                        Set<UUID> committed = new HashSet<>();
                        for (Row row : rows) {
                            committed.add(row.getUUID(0));
                        }
                        List<Uni<Void>> actions = overdue.stream().map(r -> settle(day, r, committed.contains(r.reservationId()))).toList();
                        return Uni.join().all(actions).andCollectFailures().replaceWithVoid();
                    });
        });
    }

    private Uni<Void> settle(DepartmentDay day, Inventory.OverdueReservation reservation, boolean committed) {
        if (committed || reservation.slotId() == null) {
            settled.increment();
            return inventory.confirm(day, reservation.reservationId());
        }
        return inventory.release(day, reservation.slotId(), reservation.reservationId(), reservation.patientId(), true)
                .flatMap(released -> {
                    if (!released.ended()) {
                        return Uni.createFrom().voidItem(); // another instance got there first
                    }
                    returned.increment();
                    LOG.infof("Reservation %s expired without a booking row; its seat went back to slot %s",
                            reservation.reservationId(), reservation.slotId());
                    return audit.record(AuditTrail.Action.RESERVATION_EXPIRED, reservation.reservationId(), reservation.slotId(),
                            reservation.accountId(), "no booking row within " + config.reservationTimeout() + "; seat returned");
                });
    }
}
