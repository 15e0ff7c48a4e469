-- Traceability required by the pilot: every booking, cancellation and recovery action, with account,
-- time and reason. Append-only: the database itself refuses to change or remove a line. Ids only,
-- never names or birth dates.
CREATE TABLE booking_audit (
    id         bigserial PRIMARY KEY,
    booking_id uuid,
    slot_id    uuid,
    account_id text,
    action     text NOT NULL CHECK (action IN ('BOOKED', 'CANCELLED', 'RESERVATION_EXPIRED', 'INVENTORY_REBUILT', 'INVENTORY_REPAIRED')),
    reason     text NOT NULL,
    at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX booking_audit_booking ON booking_audit (booking_id, id);
CREATE INDEX booking_audit_slot ON booking_audit (slot_id, id);

CREATE FUNCTION booking_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'booking_audit is append-only';
END;
$$;
CREATE TRIGGER booking_audit_append_only BEFORE UPDATE OR DELETE ON booking_audit
    FOR EACH ROW EXECUTE FUNCTION booking_audit_is_append_only();
CREATE TRIGGER booking_audit_no_truncate BEFORE TRUNCATE ON booking_audit
    FOR EACH STATEMENT EXECUTE FUNCTION booking_audit_is_append_only();
