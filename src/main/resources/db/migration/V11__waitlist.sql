-- Waitlist (issue 11 §2): a family whose department-day is full joins its waitlist; a place that comes back is
-- offered to the first waiting entry before open booking sees it (README invariant I12). The offer is a booking
-- that holds the seat for that patient until its deadline (hold_expires_at): OFFERED on a free slot (accepted with
-- POST /bookings/{id}/accept), PENDING_PAYMENT on a paid one (accepted by paying). Redis decides who gets the seat
-- (release.lua parks it while the day has waiting entries, offer.lua hands it over); PostgreSQL records the order
-- and the offers.

-- V10 is the waiting room's (issue 11 §1); this migration does not depend on it.

CREATE TABLE waitlist_entry (
    id            uuid PRIMARY KEY,
    -- The order of the queue: entries are offered places by seq, lowest first.
    seq           bigserial NOT NULL UNIQUE,
    department_id uuid NOT NULL REFERENCES department (id),
    visit_date    date NOT NULL,
    patient_id    uuid NOT NULL REFERENCES patient (id),
    account_id    text NOT NULL,
    -- WAITING -> OFFERED (a booking holds a place for it) | LEFT (the family left) | CLOSED (skipped: the patient
    -- or account could no longer take a place). Never back to WAITING: a stale copy of a WAITING id in Redis is
    -- recognised by asking PostgreSQL, and removed.
    state         text NOT NULL CHECK (state IN ('WAITING', 'OFFERED', 'LEFT', 'CLOSED')),
    created_at    timestamptz NOT NULL,
    offered_at    timestamptz,
    booking_id    uuid,
    left_at       timestamptz,
    closed_reason text,
    CHECK ((state = 'OFFERED') = (booking_id IS NOT NULL AND offered_at IS NOT NULL)),
    CHECK ((state = 'LEFT') = (left_at IS NOT NULL)),
    CHECK ((state = 'CLOSED') = (closed_reason IS NOT NULL))
);
-- One waiting entry per patient per department-day (asking again returns it).
CREATE UNIQUE INDEX waitlist_one_waiting ON waitlist_entry (patient_id, department_id, visit_date) WHERE state = 'WAITING';
-- The offerer's "first waiting entry of the day" and the positions.
CREATE INDEX waitlist_queue ON waitlist_entry (department_id, visit_date, seq) WHERE state = 'WAITING';
CREATE INDEX waitlist_account ON waitlist_entry (account_id, created_at);

ALTER TABLE booking ADD COLUMN waitlist_entry_id uuid REFERENCES waitlist_entry (id);
CREATE UNIQUE INDEX booking_offer_of_entry ON booking (waitlist_entry_id) WHERE waitlist_entry_id IS NOT NULL;
ALTER TABLE waitlist_entry ADD CONSTRAINT waitlist_offer_booking FOREIGN KEY (booking_id) REFERENCES booking (id)
    DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE booking DROP CONSTRAINT booking_status_check;
ALTER TABLE booking ADD CONSTRAINT booking_status_check CHECK (status IN ('PENDING_PAYMENT', 'OFFERED', 'CONFIRMED', 'EXPIRED',
    'CANCELLED', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW', 'RESCHEDULED', 'CANCELLED_BY_HOSPITAL'));
-- An OFFERED booking is an offer on a free slot, with its deadline.
ALTER TABLE booking ADD CONSTRAINT booking_offered CHECK (status <> 'OFFERED' OR (fee = 0 AND waitlist_entry_id IS NOT NULL));
ALTER TABLE booking DROP CONSTRAINT booking_hold_has_deadline;
ALTER TABLE booking ADD CONSTRAINT booking_hold_has_deadline
    CHECK (status NOT IN ('PENDING_PAYMENT', 'OFFERED') OR hold_expires_at IS NOT NULL);

-- "Holds its seat" (BookingStatus.holdsSeat) now includes OFFERED: an offer is a hold for one patient. PostgreSQL 15
-- cannot change a generated column's expression: drop the indexes on it, then the column (as V6 did).
DROP INDEX booking_active_seat;
DROP INDEX booking_active_patient_day;
DROP INDEX booking_active_payment;
ALTER TABLE booking DROP COLUMN active;
ALTER TABLE booking ADD COLUMN active boolean GENERATED ALWAYS AS
    (status IN ('PENDING_PAYMENT', 'OFFERED', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW')) STORED;
CREATE UNIQUE INDEX booking_active_seat ON booking (slot_id, seat) WHERE active;
CREATE UNIQUE INDEX booking_active_patient_day ON booking (patient_id, department_id, visit_date) WHERE active;
CREATE UNIQUE INDEX booking_active_payment ON booking (payment_id) WHERE active AND payment_id IS NOT NULL;

-- The hold sweep (HoldExpirer) expires offers as it expires payment holds.
DROP INDEX booking_hold_due;
CREATE INDEX booking_hold_due ON booking (hold_expires_at) WHERE status IN ('PENDING_PAYMENT', 'OFFERED');

ALTER TABLE booking_audit DROP CONSTRAINT booking_audit_action_check;
ALTER TABLE booking_audit ADD CONSTRAINT booking_audit_action_check CHECK (action IN ('BOOKED', 'CANCELLED',
    'RESERVATION_EXPIRED', 'INVENTORY_REBUILT', 'INVENTORY_REPAIRED', 'PAID', 'HOLD_EXPIRED', 'PAYMENT_REFUSED',
    'CHECKED_IN', 'COMPLETED', 'NO_SHOW', 'RESCHEDULED', 'CANCELLED_BY_HOSPITAL', 'SLOT_CANCELLED',
    'OFFERED', 'OFFER_ACCEPTED'));

-- Events: a booking inserted for a waitlist entry is "booking.offered" (on a free or a paid slot: the family's app
-- and the hospital's messaging hear of the offer either way); an accepted free offer is "booking.accepted".
CREATE OR REPLACE FUNCTION booking_event_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        kind := CASE WHEN NEW.waitlist_entry_id IS NOT NULL AND NEW.rescheduled_from IS NULL THEN 'booking.offered'
                     WHEN NEW.status = 'PENDING_PAYMENT' THEN 'booking.pending_payment'
                     ELSE 'booking.' || lower(NEW.status) END;
    ELSIF OLD.status = 'PENDING_PAYMENT' AND NEW.status = 'CONFIRMED' THEN
        kind := 'booking.paid';
    ELSIF OLD.status = 'OFFERED' AND NEW.status = 'CONFIRMED' THEN
        kind := 'booking.accepted';
    ELSE
        kind := 'booking.' || lower(NEW.status);
    END IF;
    INSERT INTO booking_event (booking_id, type, payload) VALUES (NEW.id, kind, booking_event_payload(NEW));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION booking_event_payload(b booking) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'bookingId', b.id, 'slotId', b.slot_id, 'patientId', b.patient_id, 'accountId', b.account_id,
        'departmentId', b.department_id, 'visitDate', b.visit_date, 'status', b.status, 'fee', b.fee,
        'holdExpiresAt', CASE WHEN b.status = 'PENDING_PAYMENT' THEN b.hold_expires_at END,
        'offerExpiresAt', CASE WHEN b.status IN ('PENDING_PAYMENT', 'OFFERED') AND b.waitlist_entry_id IS NOT NULL
                               THEN b.hold_expires_at END,
        'waitlistEntryId', b.waitlist_entry_id,
        'paymentId', b.payment_id, 'paidAt', b.paid_at,
        'checkedInAt', b.checked_in_at, 'completedAt', b.completed_at, 'noShowAt', b.no_show_at,
        'refundDue', CASE WHEN b.status IN ('CANCELLED', 'CANCELLED_BY_HOSPITAL') THEN b.paid_at IS NOT NULL END,
        'reason', b.cancel_reason,
        'rescheduledTo', b.rescheduled_to, 'rescheduledFrom', b.rescheduled_from,
        'followUpOf', b.follow_up_of))
$$;
