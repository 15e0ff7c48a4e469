package io.firstvisit.booking;

import io.firstvisit.problem.Problem;
import io.firstvisit.schedule.SlotView;
import io.firstvisit.schedule.VisitType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first-visit / follow-up rule on its own (issue 10 §5), without I/O: the window's edges, the setting that lets
 * seen patients book FIRST slots (off here; FollowUpTest covers the default, on, through the API and PostgreSQL), and
 * the followUpOf checks. FollowUpTest drives the same rule through Redis and PostgreSQL.
 */
class VisitRulesTest {

    private static final LocalDate SLOT_DATE = LocalDate.of(2027, 6, 1);
    private static final UUID DERMATOLOGY = UUID.randomUUID();
    private static final UUID PATIENT = UUID.randomUUID();

    private final VisitRules unseenOnly = new VisitRules(Duration.ofDays(180), true);
    private final VisitRules anyoneFirst = new VisitRules(Duration.ofDays(180), false);

    @Test
    void aVisitCountsFromTheWindowsStartInclusive() {
        SlotView followUp = slot(VisitType.FOLLOW_UP);
        assertEquals(LocalDate.of(2026, 12, 3), unseenOnly.windowStart(followUp));
        assertNull(unseenOnly.refusal(followUp, seen("BCH:DERMATOLOGY", SLOT_DATE.minusDays(180))), "180 days before: within");
        assertReason(VisitRules.NO_PRIOR_VISIT, unseenOnly.refusal(followUp, seen("BCH:DERMATOLOGY", SLOT_DATE.minusDays(181))));
        assertReason(VisitRules.NO_PRIOR_VISIT, unseenOnly.refusal(followUp, VisitHistory.NONE));
        assertReason(VisitRules.NO_PRIOR_VISIT, unseenOnly.refusal(followUp, seen("BCH:NUTRITION", SLOT_DATE.minusDays(10))));
        assertReason(VisitRules.NO_PRIOR_VISIT, unseenOnly.refusal(followUp, seen("CCMC:DERMATOLOGY", SLOT_DATE.minusDays(10))));
    }

    @Test
    void aFirstSlotRefusesASeenPatientOnlyWhileTheSettingIsOn() {
        SlotView first = slot(VisitType.FIRST);
        VisitHistory seenLastMonth = seen("BCH:DERMATOLOGY", SLOT_DATE.minusDays(30));

        assertReason(VisitRules.ALREADY_SEEN, unseenOnly.refusal(first, seenLastMonth));
        assertTrue(unseenOnly.readsHistory(first));

        assertNull(anyoneFirst.refusal(first, seenLastMonth), "first-visit-unseen-only=false: a seen patient books a FIRST slot");
        assertFalse(anyoneFirst.readsHistory(first), "and the booking path does not even read the history");
        assertTrue(anyoneFirst.readsHistory(slot(VisitType.FOLLOW_UP)), "follow-ups still need their prior visit");
        assertReason(VisitRules.NO_PRIOR_VISIT, anyoneFirst.refusal(slot(VisitType.FOLLOW_UP), VisitHistory.NONE));

        assertNull(unseenOnly.refusal(first, seen("BCH:DERMATOLOGY", SLOT_DATE.minusDays(181))), "seen before the window: a first visit again");
        assertNull(unseenOnly.refusal(first, VisitHistory.NONE));
    }

    @Test
    void followUpOfMustBeACompletedVisitOfThePatientInTheDepartmentWithinTheWindow() {
        SlotView followUp = slot(VisitType.FOLLOW_UP);
        assertNull(unseenOnly.followUpOfRefusal(followUp, PATIENT, booking(PATIENT, BookingStatus.COMPLETED, DERMATOLOGY, SLOT_DATE.minusDays(180))));
        assertReason(VisitRules.FOLLOW_UP_OF_UNKNOWN, unseenOnly.followUpOfRefusal(followUp, PATIENT, null));
        assertReason(VisitRules.FOLLOW_UP_OF_UNKNOWN, unseenOnly.followUpOfRefusal(followUp, PATIENT,
                booking(UUID.randomUUID(), BookingStatus.COMPLETED, DERMATOLOGY, SLOT_DATE.minusDays(5))));
        for (BookingStatus status : BookingStatus.values()) {
            if (status != BookingStatus.COMPLETED) {
                assertReason(VisitRules.FOLLOW_UP_OF_NOT_COMPLETED, unseenOnly.followUpOfRefusal(followUp, PATIENT,
                        booking(PATIENT, status, DERMATOLOGY, SLOT_DATE.minusDays(5))));
            }
        }
        assertReason(VisitRules.FOLLOW_UP_OF_OTHER_DEPARTMENT, unseenOnly.followUpOfRefusal(followUp, PATIENT,
                booking(PATIENT, BookingStatus.COMPLETED, UUID.randomUUID(), SLOT_DATE.minusDays(5))));
        assertReason(VisitRules.FOLLOW_UP_OF_OUTSIDE_WINDOW, unseenOnly.followUpOfRefusal(followUp, PATIENT,
                booking(PATIENT, BookingStatus.COMPLETED, DERMATOLOGY, SLOT_DATE.minusDays(181))));

        Problem onFirst = assertThrows(Problem.class, () -> anyoneFirst.checkRequest(slot(VisitType.FIRST), UUID.randomUUID()));
        assertReason(VisitRules.FOLLOW_UP_OF_ON_FIRST_SLOT, onFirst);
        unseenOnly.checkRequest(followUp, UUID.randomUUID());
        unseenOnly.checkRequest(slot(VisitType.FIRST), null);
    }

    @Test
    void theWindowIsAWholeNumberOfDays() {
        assertEquals(180, new VisitRules(Duration.ofDays(180), true).windowDays());
        assertThrows(IllegalStateException.class, () -> new VisitRules(Duration.ofHours(36), true));
        assertThrows(IllegalStateException.class, () -> new VisitRules(Duration.ZERO, true));
        assertThrows(IllegalStateException.class, () -> new VisitRules(Duration.ofDays(-1), true));
    }

    @Test
    void aHistoryFieldThatIsNotADayCountsAsNoVisit() {
        VisitHistory history = VisitHistory.fromRedis(Map.of("BCH:DERMATOLOGY", "not-a-day",
                "BCH:GROWTH", Long.toString(SLOT_DATE.toEpochDay())));
        assertTrue(history.lastVisit("BCH", "DERMATOLOGY").isEmpty());
        assertEquals(SLOT_DATE, history.lastVisit("BCH", "GROWTH").orElseThrow());
    }

    private static void assertReason(String reason, Problem problem) {
        assertEquals(422, problem.status());
        assertEquals("not-eligible", problem.code());
        assertEquals(reason, problem.extensions().get("reason"), problem.getMessage());
    }

    private static VisitHistory seen(String field, LocalDate day) {
        return new VisitHistory(Map.of(field, day));
    }

    private static SlotView slot(VisitType type) {
        OffsetDateTime start = SLOT_DATE.atTime(9, 0).atOffset(ZoneOffset.ofHours(8));
        return new SlotView(UUID.randomUUID(), "BCH", "DERMATOLOGY", DERMATOLOGY, SLOT_DATE, new SlotView.DoctorRef(UUID.randomUUID(), "Dr", "Attending"),
                start, start.plusMinutes(15), type, 5, start.minusDays(7), 18, 0, null);
    }

    private static Booking booking(UUID patient, BookingStatus status, UUID department, LocalDate date) {
        Booking b = new Booking();
        b.id = UUID.randomUUID();
        b.patientId = patient;
        b.status = status;
        b.departmentId = department;
        b.visitDate = date;
        return b;
    }
}
