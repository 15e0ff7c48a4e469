package io.firstvisit.booking;

import io.firstvisit.common.HospitalTime;
import io.firstvisit.problem.Problem;
import io.firstvisit.inventory.DepartmentDay;
import io.firstvisit.inventory.Inventory;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotView;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The hospital stops a doctor's session (issue 10 §3). In this order, so that nothing is left booked on
 * a cancelled slot:
 * <ol>
 *   <li>Redis refuses the slots from now on (cancel-slots.lua): no new reservation starts;</li>
 *   <li>one PostgreSQL transaction cancels the slots, then every booking holding a place on them
 *   (CANCELLED_BY_HOSPITAL, with the reason; refund due when paid). A reservation taken before step 1
 *   and committing now is ordered by the slot row's lock: it is either cancelled with the rest or its
 *   INSERT skips the cancelled slot and its parent gets 409 slot-cancelled;</li>
 *   <li>the cancelled bookings' reservations are released in Redis, so each patient may book another
 *   slot that day.</li>
 * </ol>
 * Every step is idempotent: repeating the request (after a 503 too) finishes the job and answers the same.
 */
@ApplicationScoped
public class HospitalCancellation {

    private final SlotDirectory slots;
    private final Inventory inventory;
    private final Seats seats;
    private final CancellationQueries queries;
    private final HospitalTime time;

    public HospitalCancellation(SlotDirectory slots, Inventory inventory, Seats seats, CancellationQueries queries, HospitalTime time) {
        this.slots = slots;
        this.inventory = inventory;
        this.seats = seats;
        this.queries = queries;
        this.time = time;
    }

    /** What a cancellation left: the slots (cancelled, with when and why) and the bookings it cancelled. */
    public record Cancelled(List<CancellationQueries.CancelledSlot> slots, List<CancellationQueries.CancelledBooking> bookings) {
    }

    public Uni<Cancelled> cancelSlot(UUID slotId, String reason, String account) {
        return slots.find(slotId).flatMap(view -> cancel(List.of(view), reason, account));
    }

    public Uni<Cancelled> cancelDay(UUID doctorId, java.time.LocalDate date, String reason, String account) {
        return queries.doctorDay(doctorId, date).flatMap(ids -> {
            if (ids == null) {
                throw Problem.notFound("doctor-not-found");
            }
            return ids.isEmpty()
                    ? Uni.createFrom().item(new Cancelled(List.of(), List.of()))
                    : Uni.join().all(ids.stream().map(slots::find).toList()).andFailFast().flatMap(views -> cancel(views, reason, account));
        });
    }

    private Uni<Cancelled> cancel(List<SlotView> views, String reason, String account) {
        Instant now = time.now();
        List<UUID> ids = views.stream().map(SlotView::id).toList();
        Map<DepartmentDay, List<UUID>> byDay = views.stream().collect(Collectors.groupingBy(SlotView::day, LinkedHashMap::new,
                Collectors.mapping(SlotView::id, Collectors.toList())));
        Map<UUID, SlotView> byId = views.stream().collect(Collectors.toMap(SlotView::id, Function.identity()));
        return Uni.join().all(byDay.entrySet().stream().map(e -> inventory.cancel(e.getKey(), e.getValue())).toList()).andFailFast()
                .chain(() -> queries.cancel(ids, reason, account, now)
                        // A deadlock or serialization failure rolled everything back: the scheduler retries,
                        // and the repeat finishes the job (every step is idempotent).
                        .onFailure(f -> f instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("40"))
                        .transform(f -> Problem.unavailable("cancellation-rolled-back", Duration.ofSeconds(1))))
                .chain(() -> queries.bookings(ids))
                .call(bookings -> bookings.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.join().all(bookings.stream()
                                .map(b -> seats.release(byId.get(b.slotId()), b.id(), b.patientId(), true, null)).toList())
                        .andCollectFailures().replaceWithVoid())
                .flatMap(bookings -> queries.slots(ids).map(cancelled -> new Cancelled(cancelled, bookings)));
    }
}
