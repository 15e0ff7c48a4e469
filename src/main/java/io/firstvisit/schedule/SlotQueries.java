package io.firstvisit.schedule;

import io.firstvisit.common.HospitalTime;
import io.firstvisit.inventory.DepartmentDay;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Slot views read straight from PostgreSQL: only when Redis does not have them (cold start, lost state). */
@ApplicationScoped
public class SlotQueries {

    private static final String SELECT_VIEW = """
            SELECT s.id, s.capacity, s.fee, s.visit_type, s.start_at, s.end_at, s.release_at, s.visit_date, s.department_id,
                   d.id AS doctor_id, d.name AS doctor_name, d.title AS doctor_title,
                   dep.code AS department, dep.max_patient_age, h.code AS hospital,
                   ra.mode, ra.pre_queue_minutes, ra.admit_per_second, ra.pass_minutes
              FROM slot s
              JOIN doctor d ON d.id = s.doctor_id
              JOIN department dep ON dep.id = s.department_id
              JOIN hospital h ON h.id = dep.hospital_id
              LEFT JOIN release_admission ra ON ra.department_id = s.department_id AND ra.visit_date = s.visit_date
            """;

    private final Pool pool;

    public SlotQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<SlotView>> byId(UUID id) {
        return pool.preparedQuery(SELECT_VIEW + " WHERE s.id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next())));
    }

    public Uni<List<SlotView>> byDay(DepartmentDay day) {
        return pool.preparedQuery(SELECT_VIEW + " WHERE h.code = $1 AND dep.code = $2 AND s.visit_date = $3 ORDER BY s.start_at, s.id")
                .execute(Tuple.of(day.hospital(), day.department(), day.date()))
                .map(rows -> {
                    List<SlotView> views = new ArrayList<>(rows.size());
                    rows.forEach(row -> views.add(view(row)));
                    return views;
                });
    }

    /** The slots of a department-day the hospital cancelled. */
    public Uni<java.util.Set<UUID>> cancelledOn(DepartmentDay day) {
        return pool.preparedQuery("""
                        SELECT s.id FROM slot s
                          JOIN department dep ON dep.id = s.department_id
                          JOIN hospital h ON h.id = dep.hospital_id
                         WHERE h.code = $1 AND dep.code = $2 AND s.visit_date = $3 AND s.cancelled_at IS NOT NULL
                        """)
                .execute(Tuple.of(day.hospital(), day.department(), day.date()))
                .map(rows -> {
                    java.util.Set<UUID> ids = new java.util.HashSet<>();
                    rows.forEach(row -> ids.add(row.getUUID(0)));
                    return ids;
                });
    }

    /** Bookings holding a seat of the slot (confirmed or waiting for their payment). */
    public Uni<Long> activeCount(UUID slotId) {
        return pool.preparedQuery("SELECT count(*) FROM booking WHERE slot_id = $1 AND active")
                .execute(Tuple.of(slotId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private static SlotView view(Row row) {
        return new SlotView(row.getUUID("id"), row.getString("hospital"), row.getString("department"),
                row.getUUID("department_id"), row.getLocalDate("visit_date"),
                new SlotView.DoctorRef(row.getUUID("doctor_id"), row.getString("doctor_name"), row.getString("doctor_title")),
                local(row.getOffsetDateTime("start_at")), local(row.getOffsetDateTime("end_at")),
                VisitType.valueOf(row.getString("visit_type")), row.getInteger("capacity"),
                local(row.getOffsetDateTime("release_at")), row.getInteger("max_patient_age"), row.getInteger("fee"),
                admission(row));
    }

    private static AdmissionPolicy admission(Row row) {
        String mode = row.getString("mode");
        return mode == null ? AdmissionPolicy.FIRST_COME : new AdmissionPolicy(AdmissionMode.valueOf(mode),
                row.getInteger("pre_queue_minutes"), row.getInteger("admit_per_second"), row.getInteger("pass_minutes"));
    }

    private static OffsetDateTime local(OffsetDateTime t) {
        return HospitalTime.local(t.toInstant());
    }

}
