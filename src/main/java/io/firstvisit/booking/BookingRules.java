package io.firstvisit.booking;

import io.firstvisit.problem.Problem;
import io.firstvisit.patient.PatientCard;
import io.firstvisit.schedule.SlotStatus;
import io.firstvisit.schedule.SlotView;

import java.time.Instant;

/** The rules a booking must pass before it may compete for a seat; none needs Redis or PostgreSQL. */
final class BookingRules {

    /** The {@code reason} of a {@code not-eligible} refusal for the patient's age (issue 10 §5 added the others). */
    static final String AGE = "age";

    private BookingRules() {
    }

    static void check(SlotView slot, PatientCard patient, Instant now) {
        int age = patient.ageOn(slot.date());
        if (age > slot.maxPatientAge() || patient.birthDate().isAfter(slot.date())) {
            throw VisitRules.notEligible(AGE, slot.maxPatientAge());
        }
        // The slot's status as availability lists it (SlotStatus), so the list and this answer never disagree.
        // OPEN here means "seats permitting": whether one is left (FULL) is reserve.lua's to say, atomically.
        switch (SlotStatus.at(slot, now)) {
            case UPCOMING -> throw Problem.of(409, "not-open", "not-open", slot.releaseAt())
                    .with("releaseAt", slot.releaseAt());
            case CLOSED -> throw Problem.of(409, "closed", "closed");
            case OPEN, FULL -> {
            }
        }
    }
}
