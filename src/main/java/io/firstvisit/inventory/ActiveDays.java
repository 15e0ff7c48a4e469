package io.firstvisit.inventory;

import io.firstvisit.common.HospitalTime;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The department-days the reaper and the reconciler look after: those in Redis' index of known days,
 * and those PostgreSQL has released slots for from yesterday on. The index is one key; on a Redis
 * Cluster it lives on one master, and when that master comes back empty the pending reservations of
 * department-days on the other masters must not drop out of sight (RedisClusterIT found one left
 * pending that way). PostgreSQL is the record, so it is asked too; if it does not answer, the index
 * alone is used.
 */
@ApplicationScoped
public class ActiveDays {

    private static final Logger LOG = Logger.getLogger(ActiveDays.class);

    private final Inventory inventory;
    private final Pool pool;

    public ActiveDays(Inventory inventory, Pool pool) {
        this.inventory = inventory;
        this.pool = pool;
    }

    /** Redis' index (which may hold days older than yesterday, for the reaper to forget) ∪ PostgreSQL's released days. */
    public Uni<List<DepartmentDay>> get() {
        return inventory.knownDays().flatMap(known -> released().map(fromRecord -> {
            Set<DepartmentDay> days = new LinkedHashSet<>(known);
            days.addAll(fromRecord);
            return List.copyOf(days);
        }));
    }

    private Uni<List<DepartmentDay>> released() {
        return pool.preparedQuery("""
                        SELECT DISTINCT h.code AS hospital, dep.code AS department, s.visit_date
                          FROM slot s
                          JOIN department dep ON dep.id = s.department_id
                          JOIN hospital h ON h.id = dep.hospital_id
                         WHERE s.visit_date >= $1 AND s.release_at <= now()
                        """)
                .execute(Tuple.of(LocalDate.now(HospitalTime.ZONE).minusDays(1)))
                .map(rows -> {
                    List<DepartmentDay> days = new ArrayList<>();
                    rows.forEach(row -> days.add(new DepartmentDay(row.getString("hospital"), row.getString("department"),
                            row.getLocalDate("visit_date"))));
                    return days;
                })
                .onFailure().invoke(f -> LOG.debugf("Released days not read from PostgreSQL, using Redis' index alone: %s", f.toString()))
                .onFailure().recoverWithItem(List.of());
    }
}
