-- Reschedule (issue 10 §2): a booking moves to another slot of the same hospital and department. The old
-- row becomes RESCHEDULED and points at the new one, which keeps the status, the fee, the hold and the
-- payment. Both rows change in one transaction; the old one only while it still holds its seat, so two
-- moves of one booking racing each other cannot both succeed.

ALTER TABLE booking
    -- Deferred: the old row is updated before the new one exists (the new row's unique indexes must not
    -- see the old one still holding the patient's day).
    ADD COLUMN rescheduled_to   uuid REFERENCES booking (id) DEFERRABLE INITIALLY DEFERRED,
    ADD COLUMN rescheduled_from uuid REFERENCES booking (id),
    ADD COLUMN rescheduled_at   timestamptz;

ALTER TABLE booking DROP CONSTRAINT booking_status_check;
ALTER TABLE booking ADD CONSTRAINT booking_status_check CHECK (status IN ('PENDING_PAYMENT', 'CONFIRMED', 'EXPIRED',
    'CANCELLED', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW', 'RESCHEDULED'));
ALTER TABLE booking ADD CONSTRAINT booking_rescheduled CHECK ((status = 'RESCHEDULED') = (rescheduled_to IS NOT NULL)
    AND (rescheduled_to IS NULL) = (rescheduled_at IS NULL));

-- A payment follows the booking it paid for when it moves: one payment id per seat-holding booking
-- (the moved-away row keeps it as history).
ALTER TABLE booking DROP CONSTRAINT booking_payment_id_key;
CREATE UNIQUE INDEX booking_active_payment ON booking (payment_id) WHERE active AND payment_id IS NOT NULL;

ALTER TABLE booking_audit DROP CONSTRAINT booking_audit_action_check;
ALTER TABLE booking_audit ADD CONSTRAINT booking_audit_action_check CHECK (action IN ('BOOKED', 'CANCELLED',
    'RESERVATION_EXPIRED', 'INVENTORY_REBUILT', 'INVENTORY_REPAIRED', 'PAID', 'HOLD_EXPIRED', 'PAYMENT_REFUSED',
    'CHECKED_IN', 'COMPLETED', 'NO_SHOW', 'RESCHEDULED'));

CREATE OR REPLACE FUNCTION booking_event_payload(b booking) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'bookingId', b.id, 'slotId', b.slot_id, 'patientId', b.patient_id, 'accountId', b.account_id,
        'departmentId', b.department_id, 'visitDate', b.visit_date, 'status', b.status, 'fee', b.fee,
        'holdExpiresAt', CASE WHEN b.status = 'PENDING_PAYMENT' THEN b.hold_expires_at END,
        'paymentId', b.payment_id, 'paidAt', b.paid_at,
        'refundDue', CASE WHEN b.status = 'CANCELLED' THEN b.paid_at IS NOT NULL END,
        'rescheduledTo', b.rescheduled_to, 'rescheduledFrom', b.rescheduled_from))
$$;
