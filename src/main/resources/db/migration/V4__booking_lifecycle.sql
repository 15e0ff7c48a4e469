-- Booking lifecycle (issue 10): paid slots, payment holds, payments, expiry, and the event outbox.
--
-- A booking on a slot with a fee starts PENDING_PAYMENT: it holds its seat until hold_expires_at. A signed
-- payment notification confirms it; an unpaid hold expires and its seat goes back. PostgreSQL decides a
-- payment racing the expiry: both are single-row updates from PENDING_PAYMENT, so exactly one wins, and
-- a CHECK makes "paid but expired" impossible whatever the code does.

ALTER TABLE slot ADD COLUMN fee integer NOT NULL DEFAULT 0 CHECK (fee >= 0);

ALTER TABLE booking
    ADD COLUMN fee             integer NOT NULL DEFAULT 0 CHECK (fee >= 0),
    ADD COLUMN hold_expires_at timestamptz,
    ADD COLUMN paid_at         timestamptz,
    ADD COLUMN payment_id      text UNIQUE,
    ADD COLUMN expired_at      timestamptz;

ALTER TABLE booking DROP CONSTRAINT booking_status_check;
ALTER TABLE booking ADD CONSTRAINT booking_status_check
    CHECK (status IN ('PENDING_PAYMENT', 'CONFIRMED', 'EXPIRED', 'CANCELLED'));
-- The one definition of "holds its seat": every rule that counts bookings (one per patient per day, the
-- seat index, the account cap's rebuild, the reconciler) reads this column, never a list of statuses.
ALTER TABLE booking ADD COLUMN active boolean GENERATED ALWAYS AS (status IN ('PENDING_PAYMENT', 'CONFIRMED')) STORED;
ALTER TABLE booking ADD CONSTRAINT booking_hold_has_deadline CHECK (status <> 'PENDING_PAYMENT' OR hold_expires_at IS NOT NULL);
ALTER TABLE booking ADD CONSTRAINT booking_expired_at CHECK ((status = 'EXPIRED') = (expired_at IS NOT NULL));
ALTER TABLE booking ADD CONSTRAINT booking_paid_never_expired CHECK (status <> 'EXPIRED' OR paid_at IS NULL);
ALTER TABLE booking ADD CONSTRAINT booking_payment_complete CHECK ((paid_at IS NULL) = (payment_id IS NULL));

DROP INDEX booking_active_seat;
DROP INDEX booking_active_patient_day;
CREATE UNIQUE INDEX booking_active_seat ON booking (slot_id, seat) WHERE active;
CREATE UNIQUE INDEX booking_active_patient_day ON booking (patient_id, department_id, visit_date) WHERE active;
CREATE INDEX booking_hold_due ON booking (hold_expires_at) WHERE status = 'PENDING_PAYMENT';

-- Every payment notification that was decided: replaying the same payment_id gives the same answer.
-- REFUSED means the payment system must refund (the hold had expired, or the booking was cancelled).
CREATE TABLE payment (
    payment_id  text PRIMARY KEY,
    booking_id  uuid NOT NULL REFERENCES booking (id),
    amount      integer NOT NULL CHECK (amount >= 0),
    paid_at     timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    outcome     text NOT NULL CHECK (outcome IN ('CONFIRMED', 'REFUSED')),
    reason      text
);
CREATE INDEX payment_booking ON payment (booking_id);

ALTER TABLE booking_audit DROP CONSTRAINT booking_audit_action_check;
ALTER TABLE booking_audit ADD CONSTRAINT booking_audit_action_check CHECK (action IN ('BOOKED', 'CANCELLED',
    'RESERVATION_EXPIRED', 'INVENTORY_REBUILT', 'INVENTORY_REPAIRED', 'PAID', 'HOLD_EXPIRED', 'PAYMENT_REFUSED'));

-- The transactional outbox. Rows are written by triggers, in the transaction of the change itself:
-- no status change without its event, no event without its change, whichever statement made it.
-- tx orders events for readers: an event is handed out only once every transaction that started
-- before it has ended (tx < the snapshot's xmin), so a reader resuming from a cursor never skips an
-- event that committed late.
CREATE TABLE booking_event (
    id         bigserial PRIMARY KEY,
    event_id   uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    tx         xid8 NOT NULL DEFAULT pg_current_xact_id(),
    booking_id uuid NOT NULL,
    type       text NOT NULL,
    payload    jsonb NOT NULL,
    at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX booking_event_order ON booking_event (tx, id);
CREATE INDEX booking_event_booking ON booking_event (booking_id, id);

CREATE FUNCTION booking_event_payload(b booking) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'bookingId', b.id, 'slotId', b.slot_id, 'patientId', b.patient_id, 'accountId', b.account_id,
        'departmentId', b.department_id, 'visitDate', b.visit_date, 'status', b.status, 'fee', b.fee,
        'holdExpiresAt', b.hold_expires_at, 'paymentId', b.payment_id, 'paidAt', b.paid_at,
        'refundDue', CASE WHEN b.status = 'CANCELLED' THEN b.paid_at IS NOT NULL END))
$$;

CREATE FUNCTION booking_event_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        kind := CASE NEW.status WHEN 'PENDING_PAYMENT' THEN 'booking.pending_payment' ELSE 'booking.' || lower(NEW.status) END;
    ELSIF OLD.status = 'PENDING_PAYMENT' AND NEW.status = 'CONFIRMED' THEN
        kind := 'booking.paid';
    ELSE
        kind := 'booking.' || lower(NEW.status);
    END IF;
    INSERT INTO booking_event (booking_id, type, payload) VALUES (NEW.id, kind, booking_event_payload(NEW));
    RETURN NULL;
END;
$$;
CREATE TRIGGER booking_event_inserted AFTER INSERT ON booking
    FOR EACH ROW EXECUTE FUNCTION booking_event_on_change();
CREATE TRIGGER booking_event_changed AFTER UPDATE OF status ON booking
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION booking_event_on_change();

-- A payment refused after the hold ended changes no booking, but the payment system and the family must
-- hear of it (the refund).
CREATE FUNCTION payment_event_on_refusal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO booking_event (booking_id, type, payload)
    VALUES (NEW.booking_id, 'payment.refused', jsonb_build_object('bookingId', NEW.booking_id, 'paymentId', NEW.payment_id,
            'amount', NEW.amount, 'paidAt', NEW.paid_at, 'reason', NEW.reason, 'refundDue', true));
    RETURN NULL;
END;
$$;
CREATE TRIGGER payment_event_refused AFTER INSERT ON payment
    FOR EACH ROW WHEN (NEW.outcome = 'REFUSED') EXECUTE FUNCTION payment_event_on_refusal();
