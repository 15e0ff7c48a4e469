-- Visit outcomes (issue 10 §4): the hospital records what happened at the visit. A scheduler checks a
-- CONFIRMED patient in (CHECKED_IN), completes the visit (COMPLETED), or, once the slot has started, marks a
-- CONFIRMED patient who never came as NO_SHOW. Each move is one conditional UPDATE ... WHERE status = <from>,
-- so two schedulers (or a retry racing its original) cannot both apply a move from the same state.

ALTER TABLE booking DROP CONSTRAINT booking_status_check;
ALTER TABLE booking ADD CONSTRAINT booking_status_check
    CHECK (status IN ('PENDING_PAYMENT', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW', 'EXPIRED', 'CANCELLED'));

ALTER TABLE booking
    ADD COLUMN checked_in_at timestamptz,
    ADD COLUMN completed_at  timestamptz,
    ADD COLUMN no_show_at    timestamptz;
-- A completed visit was checked in first, so it keeps its check-in time. No ordering CHECK between the two:
-- they come from the clocks of whichever instances recorded them, and a few milliseconds of skew between
-- instances must not turn a legal completion into an error.
ALTER TABLE booking ADD CONSTRAINT booking_checked_in_at CHECK ((status IN ('CHECKED_IN', 'COMPLETED')) = (checked_in_at IS NOT NULL));
ALTER TABLE booking ADD CONSTRAINT booking_completed_at CHECK ((status = 'COMPLETED') = (completed_at IS NOT NULL));
ALTER TABLE booking ADD CONSTRAINT booking_no_show_at CHECK ((status = 'NO_SHOW') = (no_show_at IS NOT NULL));
-- Only a confirmed booking reaches the visit: on a paid slot that means it was paid, whatever the code does.
ALTER TABLE booking ADD CONSTRAINT booking_visit_was_paid
    CHECK (status NOT IN ('CHECKED_IN', 'COMPLETED', 'NO_SHOW') OR fee = 0 OR paid_at IS NOT NULL);

-- "Holds its seat" now also covers the visit outcomes. A checked-in, completed or no-show booking used its
-- seat: the slot has started, so nobody else can take that place. If `active` dropped them, availability
-- would show their seats as free again and the reconciler would push those seats back into Redis (and the
-- rebuild would offer them), for a slot that is already under way. It stays the one definition every rule
-- that counts bookings reads (the two unique indexes, the rebuild, the reconciler, the slot counts).
-- Consequence, deliberate: a patient marked NO_SHOW still holds that department-day, like one who came.
-- PostgreSQL 15 cannot change a generated column's expression: drop the indexes on it, then the column.
DROP INDEX booking_active_seat;
DROP INDEX booking_active_patient_day;
ALTER TABLE booking DROP COLUMN active;
ALTER TABLE booking ADD COLUMN active boolean GENERATED ALWAYS AS
    (status IN ('PENDING_PAYMENT', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW')) STORED;
CREATE UNIQUE INDEX booking_active_seat ON booking (slot_id, seat) WHERE active;
CREATE UNIQUE INDEX booking_active_patient_day ON booking (patient_id, department_id, visit_date) WHERE active;

ALTER TABLE booking_audit DROP CONSTRAINT booking_audit_action_check;
ALTER TABLE booking_audit ADD CONSTRAINT booking_audit_action_check CHECK (action IN ('BOOKED', 'CANCELLED',
    'RESERVATION_EXPIRED', 'INVENTORY_REBUILT', 'INVENTORY_REPAIRED', 'PAID', 'HOLD_EXPIRED', 'PAYMENT_REFUSED',
    'CHECKED_IN', 'COMPLETED', 'NO_SHOW'));

-- The event trigger (V4) already names these changes booking.checked_in, booking.completed and
-- booking.no_show; their payload now carries the outcome's time too.
CREATE OR REPLACE FUNCTION booking_event_payload(b booking) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'bookingId', b.id, 'slotId', b.slot_id, 'patientId', b.patient_id, 'accountId', b.account_id,
        'departmentId', b.department_id, 'visitDate', b.visit_date, 'status', b.status, 'fee', b.fee,
        'holdExpiresAt', b.hold_expires_at, 'paymentId', b.payment_id, 'paidAt', b.paid_at,
        'checkedInAt', b.checked_in_at, 'completedAt', b.completed_at, 'noShowAt', b.no_show_at,
        'refundDue', CASE WHEN b.status = 'CANCELLED' THEN b.paid_at IS NOT NULL END))
$$;
