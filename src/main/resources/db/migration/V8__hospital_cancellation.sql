-- Hospital-side cancellation (issue 10 §3): a doctor's session is stopped. The slots become CANCELLED
-- (never bookable again) and every booking holding a place on them becomes CANCELLED_BY_HOSPITAL, with
-- the reason and, when it was paid, a refund due.

ALTER TABLE slot
    ADD COLUMN cancelled_at  timestamptz,
    ADD COLUMN cancel_reason text;
ALTER TABLE slot ADD CONSTRAINT slot_cancelled CHECK ((cancelled_at IS NULL) = (cancel_reason IS NULL));

ALTER TABLE booking ADD COLUMN cancel_reason text;
-- The cancellation's answer lists the bookings it cancelled on its slots (its bulk UPDATE uses the
-- partial indexes on active bookings).
CREATE INDEX booking_cancelled_by_hospital ON booking (slot_id) WHERE status = 'CANCELLED_BY_HOSPITAL';

ALTER TABLE booking DROP CONSTRAINT booking_status_check;
ALTER TABLE booking ADD CONSTRAINT booking_status_check CHECK (status IN ('PENDING_PAYMENT', 'CONFIRMED', 'EXPIRED',
    'CANCELLED', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW', 'RESCHEDULED', 'CANCELLED_BY_HOSPITAL'));

-- V1's "cancelled_at is set exactly for CANCELLED" (an unnamed CHECK) now covers both cancellations.
DO $$
DECLARE
    old_check text;
BEGIN
    SELECT conname INTO old_check FROM pg_constraint
     WHERE conrelid = 'booking'::regclass AND contype = 'c'
       AND pg_get_constraintdef(oid) LIKE '%cancelled_at IS NOT NULL%';
    EXECUTE format('ALTER TABLE booking DROP CONSTRAINT %I', old_check);
END;
$$;
ALTER TABLE booking ADD CONSTRAINT booking_cancelled_at
    CHECK ((status IN ('CANCELLED', 'CANCELLED_BY_HOSPITAL')) = (cancelled_at IS NOT NULL));
ALTER TABLE booking ADD CONSTRAINT booking_cancel_reason CHECK (status = 'CANCELLED_BY_HOSPITAL' OR cancel_reason IS NULL);

ALTER TABLE booking_audit DROP CONSTRAINT booking_audit_action_check;
ALTER TABLE booking_audit ADD CONSTRAINT booking_audit_action_check CHECK (action IN ('BOOKED', 'CANCELLED',
    'RESERVATION_EXPIRED', 'INVENTORY_REBUILT', 'INVENTORY_REPAIRED', 'PAID', 'HOLD_EXPIRED', 'PAYMENT_REFUSED',
    'CHECKED_IN', 'COMPLETED', 'NO_SHOW', 'RESCHEDULED', 'CANCELLED_BY_HOSPITAL', 'SLOT_CANCELLED'));

CREATE OR REPLACE FUNCTION booking_event_payload(b booking) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'bookingId', b.id, 'slotId', b.slot_id, 'patientId', b.patient_id, 'accountId', b.account_id,
        'departmentId', b.department_id, 'visitDate', b.visit_date, 'status', b.status, 'fee', b.fee,
        'holdExpiresAt', CASE WHEN b.status = 'PENDING_PAYMENT' THEN b.hold_expires_at END,
        'paymentId', b.payment_id, 'paidAt', b.paid_at,
        'checkedInAt', b.checked_in_at, 'completedAt', b.completed_at, 'noShowAt', b.no_show_at,
        'refundDue', CASE WHEN b.status IN ('CANCELLED', 'CANCELLED_BY_HOSPITAL') THEN b.paid_at IS NOT NULL END,
        'reason', b.cancel_reason,
        'rescheduledTo', b.rescheduled_to, 'rescheduledFrom', b.rescheduled_from))
$$;
