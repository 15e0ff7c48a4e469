package io.firstvisit.schedule;

import io.firstvisit.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * release_admission, inside the publishing transaction: the first publication of a department-day fixes its
 * admission, later ones must agree. Concurrent first publications are safe: ON CONFLICT DO NOTHING waits for the
 * other insert, and the SELECT that follows (a new statement) sees whichever row won.
 */
@ApplicationScoped
public class AdmissionQueries {

    private static final String INSERT_FIRST_COME = """
            INSERT INTO release_admission (department_id, visit_date, mode, release_at, created_at)
            VALUES (?1, ?2, 'FIRST_COME', ?3, ?4) ON CONFLICT DO NOTHING
            """;
    private static final String INSERT_QUEUE = """
            INSERT INTO release_admission (department_id, visit_date, mode, release_at, pre_queue_minutes, admit_per_second,
                                           pass_minutes, created_at)
            VALUES (?1, ?2, 'QUEUE', ?3, ?5, ?6, ?7, ?4) ON CONFLICT DO NOTHING
            """;
    private static final String SELECT = """
            SELECT mode, pre_queue_minutes, admit_per_second, pass_minutes, release_at = ?3
              FROM release_admission WHERE department_id = ?1 AND visit_date = ?2
            """;

    /**
     * The department-day's admission after this publication: {@code requested} (null: "whatever the day has,
     * FIRST_COME for a new day") checked against what the day already has. 409 admission-conflict when they differ,
     * or when a QUEUE day would get a second release instant.
     */
    public Uni<AdmissionPolicy> settle(Mutiny.Session session, UUID departmentId, LocalDate date, AdmissionPolicy requested,
                                       Instant releaseAt, Instant now) {
        Mutiny.MutationQuery insert = requested != null && requested.queued()
                ? session.createNativeQuery(INSERT_QUEUE).setParameter(5, requested.preQueueMinutes())
                        .setParameter(6, requested.admitPerSecond()).setParameter(7, requested.passMinutes())
                : session.createNativeQuery(INSERT_FIRST_COME);
        return insert.setParameter(1, departmentId).setParameter(2, date).setParameter(3, releaseAt).setParameter(4, now)
                .executeUpdate()
                .chain(() -> session.<Object[]>createNativeQuery(SELECT).setParameter(1, departmentId).setParameter(2, date)
                        .setParameter(3, releaseAt).getSingleResult())
                .map(row -> {
                    AdmissionPolicy stored = new AdmissionPolicy(AdmissionMode.valueOf((String) row[0]), integer(row[1]),
                            integer(row[2]), integer(row[3]));
                    boolean sameRelease = Boolean.TRUE.equals(row[4]);
                    if (requested != null && !requested.equals(stored)) {
                        throw conflict("admission-conflict.differs", date, describe(stored));
                    }
                    if (stored.queued() && !sameRelease) {
                        throw conflict("admission-conflict.one-release", date);
                    }
                    return stored;
                });
    }

    private static Problem conflict(String detailKey, Object... args) {
        return Problem.of(409, "admission-conflict", detailKey, args);
    }

    private static String describe(AdmissionPolicy policy) {
        return policy.queued()
                ? "QUEUE (preQueueMinutes " + policy.preQueueMinutes() + ", admitPerSecond " + policy.admitPerSecond()
                        + ", passMinutes " + policy.passMinutes() + ")"
                : "FIRST_COME";
    }

    private static Integer integer(Object value) {
        return value == null ? null : ((Number) value).intValue();
    }
}
