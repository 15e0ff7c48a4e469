-- First visit vs follow-up (issue 10 §5). A FOLLOW_UP slot is for a patient whose visit in the same hospital and
-- department was COMPLETED within the follow-up window before the slot's date; a FIRST slot refuses such a patient
-- (unless configured otherwise). Redis and the booking path's cache admit or refuse first (booking/VisitEligibility);
-- the booking INSERT re-checks every row against this table (BookingWriter), so a stale cache cannot book a
-- patient the rule refuses.

-- The completed visit a follow-up booking continues, when the family named one (optional). Only ever a COMPLETED
-- booking of the same patient and department within the window: the booking INSERT checks that with the rule.
ALTER TABLE booking ADD COLUMN follow_up_of uuid REFERENCES booking (id);

-- "Completed visits of a patient in a department, by date": the INSERT's guard (EXISTS / NOT EXISTS per row)
-- and the rebuild of a patient's visit history in Redis both read it. Partial: only COMPLETED rows enter it, so
-- the release minute's INSERTs (CONFIRMED or PENDING_PAYMENT rows) never write to it.
CREATE INDEX booking_completed_visit ON booking (patient_id, department_id, visit_date) WHERE status = 'COMPLETED';

CREATE OR REPLACE FUNCTION booking_event_payload(b booking) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'bookingId', b.id, 'slotId', b.slot_id, 'patientId', b.patient_id, 'accountId', b.account_id,
        'departmentId', b.department_id, 'visitDate', b.visit_date, 'status', b.status, 'fee', b.fee,
        'holdExpiresAt', CASE WHEN b.status = 'PENDING_PAYMENT' THEN b.hold_expires_at END,
        'paymentId', b.payment_id, 'paidAt', b.paid_at,
        'checkedInAt', b.checked_in_at, 'completedAt', b.completed_at, 'noShowAt', b.no_show_at,
        'refundDue', CASE WHEN b.status IN ('CANCELLED', 'CANCELLED_BY_HOSPITAL') THEN b.paid_at IS NOT NULL END,
        'reason', b.cancel_reason,
        'rescheduledTo', b.rescheduled_to, 'rescheduledFrom', b.rescheduled_from,
        'followUpOf', b.follow_up_of))
$$;
