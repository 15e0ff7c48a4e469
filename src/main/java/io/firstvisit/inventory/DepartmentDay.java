package io.firstvisit.inventory;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The unit of inventory: one department of one hospital on one calendar date. All Redis keys of a
 * department-day share one Redis Cluster hash tag, so the scripts that decide a booking touch one shard.
 * It is also the scope of "one active booking per patient" (the already-booked rule).
 */
public record DepartmentDay(String hospital, String department, LocalDate date) {

    /** "BCH:DERMATOLOGY:2026-11-23": the form used in hash tags and in the index of known days. */
    public String id() {
        return hospital + ":" + department + ":" + date;
    }

    public String hashTag() {
        return "{" + id() + "}";
    }

    public static Optional<DepartmentDay> parse(String id) {
        String[] parts = id.split(":");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DepartmentDay(parts[0], parts[1], LocalDate.parse(parts[2])));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
