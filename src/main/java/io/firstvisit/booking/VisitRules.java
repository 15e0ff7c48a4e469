package io.firstvisit.booking;

import io.firstvisit.problem.Problem;
import io.firstvisit.schedule.SlotView;
import io.firstvisit.schedule.VisitType;

import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Issue 10 §5, first visit vs follow-up, as decisions without I/O (like {@link BookingRules}); {@link VisitEligibility}
 * feeds them the patient's {@link VisitHistory} and the booking INSERT ({@link BookingWriter}) applies the same rule
 * in SQL.
 * <ul>
 *   <li>A FOLLOW_UP slot is for a patient with a COMPLETED visit in the same hospital and department dated no earlier
 *       than the window's start: the slot's date minus {@code follow-up-window}, inclusive. Otherwise 422
 *       {@code not-eligible}, reason {@code no-prior-visit}.</li>
 *   <li>A FIRST slot refuses such a patient (reason {@code already-seen}), unless {@code first-visit-unseen-only} is off.</li>
 *   <li>{@code followUpOf} names that visit: a COMPLETED booking of the same patient, hospital and department within
 *       the window, on a FOLLOW_UP slot only; else 422 {@code not-eligible} with a {@code follow-up-of-*} reason.</li>
 * </ul>
 * "No earlier than the window's start", with no upper bound, so that the latest visit alone decides (a visit can be
 * recorded COMPLETED ahead of its date, as the scheduler routes allow): the SQL guard counts the same visits.
 */
public final class VisitRules {

    public static final String NO_PRIOR_VISIT = "no-prior-visit";
    public static final String ALREADY_SEEN = "already-seen";
    public static final String FOLLOW_UP_OF_ON_FIRST_SLOT = "follow-up-of-on-first-slot";
    public static final String FOLLOW_UP_OF_UNKNOWN = "follow-up-of-unknown";
    public static final String FOLLOW_UP_OF_NOT_COMPLETED = "follow-up-of-not-completed";
    public static final String FOLLOW_UP_OF_OTHER_DEPARTMENT = "follow-up-of-other-department";
    public static final String FOLLOW_UP_OF_OUTSIDE_WINDOW = "follow-up-of-outside-window";

    private final int windowDays;
    private final boolean firstVisitUnseenOnly;

    /** Refuses a window that is not a positive number of whole days: the rule and its SQL count in dates. */
    public VisitRules(Duration window, boolean firstVisitUnseenOnly) {
        if (window.isNegative() || window.isZero() || !window.equals(Duration.ofDays(window.toDays()))) {
            throw new IllegalStateException("firstvisit.booking.follow-up-window must be a whole number of days (e.g. 180d), not " + window);
        }
        this.windowDays = Math.toIntExact(window.toDays());
        this.firstVisitUnseenOnly = firstVisitUnseenOnly;
    }

    static VisitRules of(BookingConfig config) {
        return new VisitRules(config.followUpWindow(), config.firstVisitUnseenOnly());
    }

    public int windowDays() {
        return windowDays;
    }

    public boolean firstVisitUnseenOnly() {
        return firstVisitUnseenOnly;
    }

    /** Whether this slot's rule reads the patient's history at all: a FIRST slot with the rule off does not. */
    public boolean readsHistory(SlotView slot) {
        return slot.visitType() == VisitType.FOLLOW_UP || firstVisitUnseenOnly;
    }

    /** The earliest visit date that still counts for a slot on the slot's date. */
    public LocalDate windowStart(SlotView slot) {
        return slot.date().minusDays(windowDays);
    }

    public boolean seenWithin(SlotView slot, VisitHistory history) {
        return history.lastVisit(slot.hospital(), slot.department()).filter(day -> !day.isBefore(windowStart(slot))).isPresent();
    }

    /** What the request alone refuses, before any I/O: a visit to follow up, named on a FIRST slot. */
    public void checkRequest(SlotView slot, UUID followUpOf) {
        if (followUpOf != null && slot.visitType() == VisitType.FIRST) {
            throw notEligible(FOLLOW_UP_OF_ON_FIRST_SLOT);
        }
    }

    /** The history's refusal for this slot, or null when the patient may compete for a seat. */
    public Problem refusal(SlotView slot, VisitHistory history) {
        boolean seen = seenWithin(slot, history);
        if (slot.visitType() == VisitType.FOLLOW_UP && !seen) {
            return noPriorVisit(slot);
        }
        if (slot.visitType() == VisitType.FIRST && firstVisitUnseenOnly && seen) {
            return alreadySeen(slot);
        }
        return null;
    }

    /**
     * The refusal for {@code followUpOf} naming {@code previous} (null: no such booking), or null when it is a
     * COMPLETED visit of this patient in the slot's hospital and department within the window. Another patient's
     * booking is answered as an unknown one: a booking id of another family says nothing about whether it exists.
     */
    public Problem followUpOfRefusal(SlotView slot, UUID patientId, Booking previous) {
        if (previous == null || !previous.patientId.equals(patientId)) {
            return notEligible(FOLLOW_UP_OF_UNKNOWN);
        }
        if (previous.status != BookingStatus.COMPLETED) {
            return notEligible(FOLLOW_UP_OF_NOT_COMPLETED, previous.status);
        }
        if (!previous.departmentId.equals(slot.departmentId())) {
            return notEligible(FOLLOW_UP_OF_OTHER_DEPARTMENT, slot.hospital(), slot.department());
        }
        if (previous.visitDate.isBefore(windowStart(slot))) {
            return notEligible(FOLLOW_UP_OF_OUTSIDE_WINDOW, previous.visitDate, slot.date(), windowStart(slot));
        }
        return null;
    }

    Problem noPriorVisit(SlotView slot) {
        return notEligible(NO_PRIOR_VISIT, slot.hospital(), slot.department(), windowStart(slot), windowDays);
    }

    Problem alreadySeen(SlotView slot) {
        return notEligible(ALREADY_SEEN, slot.hospital(), slot.department(), windowStart(slot));
    }

    /** 422 {@code not-eligible}; {@code reason} is what clients switch on, and names the detail (not-eligible.&lt;reason&gt;). */
    static Problem notEligible(String reason, Object... args) {
        return Problem.of(422, "not-eligible", "not-eligible." + reason, args).with("reason", reason);
    }
}
