package io.firstvisit.queue;

import io.firstvisit.inventory.DepartmentDay;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A ticket's id as clients see it: "BCH.DERMATOLOGY.20261203.&lt;uuid&gt;". It names its department-day, so a poll on
 * any instance reaches the day's line (one Redis hash tag) in one round trip, without a lookup first. Opaque to
 * clients all the same: they send it back as it is.
 */
public record TicketId(DepartmentDay day, UUID id) {

    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;
    /** Hospital and department as Text.CODE allows them, the date, the ticket's uuid. */
    private static final Pattern SHAPE = Pattern.compile(
            "([A-Z][A-Z0-9_]{0,31})\\.([A-Z][A-Z0-9_]{0,31})\\.(\\d{8})\\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

    @Override
    public String toString() {
        return day.hospital() + "." + day.department() + "." + DATE.format(day.date()) + "." + id;
    }

    /** Empty for anything that is not a ticket id (the caller answers 404, as for an unknown one). */
    public static Optional<TicketId> parse(String text) {
        if (text == null || text.length() > 120) {
            return Optional.empty();
        }
        var m = SHAPE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TicketId(new DepartmentDay(m.group(1), m.group(2), LocalDate.parse(m.group(3), DATE)),
                    UUID.fromString(m.group(4))));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
