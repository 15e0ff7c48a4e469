package io.firstvisit.booking;

import io.firstvisit.schedule.SlotView;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A patient's latest COMPLETED visit per hospital and department: all the follow-up rules ({@link VisitRules}) read.
 * Redis keeps it as one hash per patient ({@code "HOSPITAL:DEPARTMENT"} → epoch day of the visit's date); PostgreSQL
 * rebuilds it from the patient's COMPLETED bookings. The latest visit is enough: "a completed visit dated no earlier
 * than the window's start" holds exactly when the latest one does. No names, no ids of bookings: only codes and days.
 */
public record VisitHistory(Map<String, LocalDate> lastVisits) {

    public static final VisitHistory NONE = new VisitHistory(Map.of());

    public VisitHistory {
        lastVisits = Map.copyOf(lastVisits);
    }

    /** The history's field for the slot's hospital and department. */
    static String field(String hospital, String department) {
        return hospital + ":" + department;
    }

    /** One visit: what a completion adds to the history. */
    static VisitHistory of(SlotView slot) {
        return new VisitHistory(Map.of(field(slot.hospital(), slot.department()), slot.date()));
    }

    public Optional<LocalDate> lastVisit(String hospital, String department) {
        return Optional.ofNullable(lastVisits.get(field(hospital, department)));
    }

    /** The hash as Redis holds it. A field that is not an epoch day (written by hand, say) counts as no visit. */
    static VisitHistory fromRedis(Map<String, String> fields) {
        Map<String, LocalDate> visits = new HashMap<>();
        fields.forEach((field, day) -> {
            try {
                visits.put(field, LocalDate.ofEpochDay(Long.parseLong(day)));
            } catch (RuntimeException notADay) {
                // ignored: the rules then ask PostgreSQL before refusing anyone (VisitEligibility)
            }
        });
        return new VisitHistory(visits);
    }

    /** The latest visit of all: how long the history matters. */
    Optional<LocalDate> latest() {
        return lastVisits.values().stream().max(LocalDate::compareTo);
    }
}
