package io.firstvisit.schedule.service;

import io.firstvisit.common.ExpiringHints;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.inventory.DepartmentDay;
import io.firstvisit.inventory.Inventory;
import io.firstvisit.inventory.InventoryConfig;
import io.firstvisit.inventory.rebuild.InventoryRebuilder;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotStatus;
import io.firstvisit.schedule.SlotView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * What parents see before they tap "book": every slot of a department-day with its remaining seats,
 * read from Redis in one round trip. PostgreSQL is read only when Redis has lost the day (I4).
 */
@ApplicationScoped
public class Availability {

    private final Inventory inventory;
    private final InventoryRebuilder rebuilder;
    private final SlotDirectory directory;
    private final HospitalTime time;
    /** Bounded: department-days asked for within one TTL, at most this many (a client cannot grow it). */
    static final int MAX_DAYS = 10_000;
    private final ExpiringHints<DepartmentDay, List<Inventory.ViewWithRemaining>> recent;

    public Availability(Inventory inventory, InventoryRebuilder rebuilder, SlotDirectory directory, HospitalTime time,
                        InventoryConfig config) {
        this.recent = new ExpiringHints<>(config.availabilityTtl(), MAX_DAYS);
        this.inventory = inventory;
        this.rebuilder = rebuilder;
        this.directory = directory;
        this.time = time;
    }

    public record SlotAvailability(SlotView slot, int remaining, SlotStatus status) {
    }

    public Uni<List<SlotAvailability>> of(DepartmentDay day) {
        List<Inventory.ViewWithRemaining> known = recent.get(day);
        if (known != null) {
            return Uni.createFrom().item(present(known, time.now()));
        }
        return inventory.availability(day)
                .flatMap(found -> found.isPresent()
                        ? Uni.createFrom().item(found)
                        : rebuilder.rebuild(day).chain(() -> inventory.availability(day)))
                .map(found -> {
                    List<Inventory.ViewWithRemaining> rows = found.orElse(List.of());
                    recent.put(day, rows);
                    return present(rows, time.now());
                });
    }

    /** Remaining seats of one slot; rebuilds its day first if Redis lost it. */
    public Uni<Integer> remaining(SlotView slot) {
        return inventory.remaining(slot.day(), slot.id())
                .flatMap(found -> found.isPresent()
                        ? Uni.createFrom().item(found)
                        : rebuilder.rebuild(slot.day()).chain(() -> inventory.remaining(slot.day(), slot.id())))
                .map(found -> found.orElse(0));
    }

    private List<SlotAvailability> present(List<Inventory.ViewWithRemaining> rows, Instant now) {
        return rows.stream()
                .map(row -> {
                    SlotView view = directory.parse(row.viewJson());
                    return new SlotAvailability(view, row.remaining(), SlotStatus.of(view, row.remaining(), row.cancelled(), now));
                })
                .sorted(Comparator.comparing((SlotAvailability a) -> a.slot().start()).thenComparing(a -> a.slot().id()))
                .toList();
    }

}
