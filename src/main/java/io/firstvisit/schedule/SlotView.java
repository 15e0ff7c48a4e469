package io.firstvisit.schedule;

import io.firstvisit.inventory.DepartmentDay;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Everything the booking path needs to know about a slot, detached from PostgreSQL. Slots do not
 * change once published, so this is cached on every instance and kept in Redis as JSON; the release
 * minute never reads slot rows from PostgreSQL. {@code fee} is in fen (0: free, booked CONFIRMED at once).
 */
@RegisterForReflection
// Kept in Redis for days: an instance of an older version must still read a view a newer one wrote.
@JsonIgnoreProperties(ignoreUnknown = true)
public record SlotView(UUID id, String hospital, String department, UUID departmentId, LocalDate date,
                       DoctorRef doctor, OffsetDateTime start, OffsetDateTime end, VisitType visitType,
                       int capacity, OffsetDateTime releaseAt, int maxPatientAge, int fee, AdmissionPolicy admission) {

    /** A view written before admissions existed has none: it was a first-come release. */
    public SlotView {
        if (admission == null) {
            admission = AdmissionPolicy.FIRST_COME;
        }
    }

    @RegisterForReflection
    public record DoctorRef(UUID id, String name, String title) {
    }

    public DepartmentDay day() {
        return new DepartmentDay(hospital, department, date);
    }
}
