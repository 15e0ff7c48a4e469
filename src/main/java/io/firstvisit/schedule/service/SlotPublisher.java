package io.firstvisit.schedule.service;

import io.firstvisit.catalog.Doctor;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.problem.Problem;
import io.firstvisit.inventory.DepartmentDay;
import io.firstvisit.inventory.rebuild.InventoryRebuilder;
import io.firstvisit.schedule.AdmissionPolicy;
import io.firstvisit.schedule.AdmissionQueries;
import io.firstvisit.schedule.Slot;
import io.firstvisit.schedule.SlotView;
import io.firstvisit.schedule.VisitType;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.exception.ConstraintViolationException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Publishes a doctor's slots: PostgreSQL first (the record), then the inventory is pre-warmed in Redis
 * before the call returns, so the release minute never has to read PostgreSQL for these slots.
 */
@ApplicationScoped
public class SlotPublisher {

    private final InventoryRebuilder inventory;
    private final HospitalTime time;
    private final AdmissionQueries admissions;

    public SlotPublisher(InventoryRebuilder inventory, HospitalTime time, AdmissionQueries admissions) {
        this.inventory = inventory;
        this.time = time;
        this.admissions = admissions;
    }

    public record SlotSpec(OffsetDateTime start, OffsetDateTime end, int capacity, int fee) {
    }

    /** {@code admission} null: the department-day's, or FIRST_COME for a day published for the first time. */
    public Uni<List<SlotView>> publish(UUID doctorId, VisitType visitType, OffsetDateTime releaseAt, List<SlotSpec> specs,
                                       AdmissionPolicy admission) {
        Instant now = time.now();
        return Panache.withTransaction(() -> Doctor.<Doctor>find(
                                "from Doctor d join fetch d.department dep join fetch dep.hospital where d.id = ?1", doctorId)
                        .firstResult()
                        .flatMap(doctor -> {
                            if (doctor == null) {
                                throw Problem.notFound("doctor-not-found");
                            }
                            if (visitType == VisitType.FIRST && !doctor.firstVisitQualified) {
                                throw Problem.of(422, "not-qualified", "not-qualified");
                            }
                            List<Slot> slots = specs.stream().map(spec -> slot(doctor, visitType, releaseAt, spec, now)).toList();
                            return Slot.persist(slots).call(() -> Panache.getSession().flatMap(s -> s.flush()))
                                    .chain(() -> settleAdmissions(doctor, slots, admission, now))
                                    .map(policies -> slots.stream().map(s -> view(s, doctor, policies.get(s.visitDate))).toList());
                        }))
                .onFailure(SlotPublisher::isUniqueViolation).transform(e -> Problem.of(409, "slot-conflict", "slot-conflict"))
                .call(this::prewarm);
    }

    /** Each department-day of the batch (one department, one or more dates), in date order. */
    private Uni<Map<java.time.LocalDate, AdmissionPolicy>> settleAdmissions(Doctor doctor, List<Slot> slots, AdmissionPolicy requested,
                                                                           Instant now) {
        Map<java.time.LocalDate, AdmissionPolicy> policies = new java.util.TreeMap<>();
        slots.forEach(s -> policies.put(s.visitDate, null));
        Instant releaseAt = slots.get(0).releaseAt;
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (java.time.LocalDate date : List.copyOf(policies.keySet())) {
            chain = chain.chain(() -> Panache.getSession()
                    .chain(session -> admissions.settle(session, doctor.department.id, date, requested, releaseAt, now))
                    .invoke(policy -> policies.put(date, policy))
                    .replaceWithVoid());
        }
        return chain.replaceWith(policies);
    }

    private Uni<Void> prewarm(List<SlotView> views) {
        Map<DepartmentDay, List<SlotView>> byDay = new LinkedHashMap<>();
        views.forEach(v -> byDay.computeIfAbsent(v.day(), d -> new ArrayList<>()).add(v));
        return Uni.join().all(byDay.entrySet().stream()
                        .map(e -> inventory.publish(e.getKey(), e.getValue())).toList())
                .andFailFast()
                .onFailure().retry().withBackOff(Duration.ofMillis(100)).atMost(3)
                .onFailure().transform(e -> Problem.unavailable("inventory-not-loaded", Duration.ofSeconds(5)).with("slotIds", views.stream().map(SlotView::id).toList()))
                .replaceWithVoid();
    }

    private static Slot slot(Doctor doctor, VisitType visitType, OffsetDateTime releaseAt, SlotSpec spec, Instant now) {
        Slot slot = new Slot();
        slot.id = UUID.randomUUID();
        slot.doctor = doctor;
        slot.department = doctor.department;
        slot.visitType = visitType;
        slot.startAt = micros(spec.start());
        slot.endAt = micros(spec.end());
        slot.visitDate = HospitalTime.dateOf(slot.startAt);
        slot.capacity = spec.capacity();
        slot.fee = spec.fee();
        slot.releaseAt = micros(releaseAt);
        slot.createdAt = now;
        return slot;
    }

    /** PostgreSQL keeps microseconds; so does every copy of a slot, or a rebuilt view would differ. */
    private static Instant micros(OffsetDateTime time) {
        return time.toInstant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private static SlotView view(Slot slot, Doctor doctor, AdmissionPolicy admission) {
        return new SlotView(slot.id, doctor.department.hospital.code, doctor.department.code, doctor.department.id,
                slot.visitDate, new SlotView.DoctorRef(doctor.id, doctor.name, doctor.title),
                HospitalTime.local(slot.startAt), HospitalTime.local(slot.endAt), slot.visitType, slot.capacity,
                HospitalTime.local(slot.releaseAt), doctor.department.maxPatientAge, slot.fee, admission);
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation && "23505".equals(violation.getSQLState())) {
                return true;
            }
            if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
