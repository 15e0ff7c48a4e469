package io.firstvisit.catalog;

import io.firstvisit.problem.Problem;
import io.quarkus.cache.CacheResult;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Hospitals and departments. They change rarely (a migration or an admin), so the list is cached for
 * a minute: availability reads and bookings validate codes without a PostgreSQL query each.
 */
@ApplicationScoped
public class Catalog {

    private static final Logger LOG = Logger.getLogger(Catalog.class);

    /**
     * Loads the catalog before the first request: the first Hibernate query loads many classes, and on a
     * busy machine that would stall an event loop for seconds on the first parent's request.
     */
    void warmUp(@Observes StartupEvent event) {
        try {
            VertxContextSupport.subscribeAndAwait(this::departments);
        } catch (Throwable e) {
            LOG.warnf("Catalog not loaded at start (PostgreSQL unavailable?); first request will load it: %s", e.toString());
        }
    }

    @CacheResult(cacheName = "catalog")
    @WithSession
    public Uni<List<DepartmentInfo>> departments() {
        return Department.<Department>find("from Department d join fetch d.hospital order by d.hospital.code, d.code")
                .list()
                .map(list -> list.stream()
                        .map(d -> new DepartmentInfo(d.id, d.hospital.code, new Names(d.hospital.nameZh, d.hospital.name), d.code,
                                new Names(d.nameZh, d.name), d.maxPatientAge))
                        .toList());
    }

    public Uni<DepartmentInfo> department(String hospital, String department) {
        return departments().map(all -> all.stream()
                .filter(d -> d.hospitalCode().equals(hospital) && d.code().equals(department))
                .findFirst()
                .orElseThrow(() -> Problem.notFound("department-not-found", department, hospital)));
    }
}
