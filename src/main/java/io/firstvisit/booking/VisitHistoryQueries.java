package io.firstvisit.booking;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The SQL of the follow-up rules' reads (issue 10 §5): a patient's visit history as PostgreSQL records it, and the
 * visit a follow-up names. Neither runs for a FIRST slot's attempt unless PostgreSQL's guard has just refused it
 * (the release minute's path reads the history from this instance's cache or Redis, {@link VisitHistories}).
 */
@ApplicationScoped
public class VisitHistoryQueries {

    /** One row per hospital and department the patient completed a visit in; index booking_completed_visit (V9). */
    private static final String LAST_VISITS = """
            SELECT h.code AS hospital, d.code AS department, max(b.visit_date) AS last_visit
              FROM booking b
              JOIN department d ON d.id = b.department_id
              JOIN hospital h ON h.id = d.hospital_id
             WHERE b.patient_id = $1 AND b.status = 'COMPLETED'
             GROUP BY h.code, d.code
            """;

    private static final String BOOKING = "SELECT " + BookingQueries.COLUMNS + " FROM booking WHERE id = $1";

    private final Pool pool;

    public VisitHistoryQueries(Pool pool) {
        this.pool = pool;
    }

    /** The patient's latest COMPLETED visit per hospital and department, as committed now. */
    public Uni<VisitHistory> lastVisits(UUID patientId) {
        return pool.preparedQuery(LAST_VISITS).execute(Tuple.of(patientId)).map(rows -> {
            Map<String, LocalDate> visits = new HashMap<>();
            for (Row row : rows) {
                visits.put(VisitHistory.field(row.getString("hospital"), row.getString("department")), row.getLocalDate("last_visit"));
            }
            return new VisitHistory(visits);
        });
    }

    /**
     * The booking a follow-up names, or null. A COMPLETED booking never changes again (no move leaves COMPLETED, and
     * its patient, department and date are fixed), so a check against this read cannot go stale before the INSERT.
     */
    public Uni<Booking> booking(UUID bookingId) {
        return pool.preparedQuery(BOOKING).execute(Tuple.of(bookingId)).map(BookingQueries::first);
    }
}
