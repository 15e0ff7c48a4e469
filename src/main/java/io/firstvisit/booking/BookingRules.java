package io.firstvisit.booking;

import io.firstvisit.common.Problem;
import io.firstvisit.patient.PatientCard;
import io.firstvisit.schedule.SlotView;

import java.time.Instant;

/** The rules a booking must pass before it may compete for a seat; none needs Redis or PostgreSQL. */
final class BookingRules {

    private BookingRules() {
    }

    static void check(SlotView slot, PatientCard patient, Instant now) {
        int age = patient.ageOn(slot.date());
        if (age > slot.maxPatientAge() || patient.birthDate().isAfter(slot.date())) {
            throw new Problem(422, "not-eligible", "Patient not eligible",
                    "This department sees patients up to " + slot.maxPatientAge() + " years old on the visit date");
        }
        if (now.isBefore(slot.releaseAt().toInstant())) {
            throw new Problem(409, "not-open", "Not open yet", "Booking for this slot opens at " + slot.releaseAt())
                    .with("releaseAt", slot.releaseAt());
        }
        if (!now.isBefore(slot.start().toInstant())) {
            throw new Problem(409, "closed", "Slot closed", "This slot has already started");
        }
    }
}
