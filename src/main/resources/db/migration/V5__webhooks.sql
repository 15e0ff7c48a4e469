-- Webhooks (issue 10 §6): the hospital's systems register a URL for event types; every booking event
-- of those types becomes a delivery row IN THE SAME TRANSACTION as the event (a trigger), so an event
-- can never be committed without its deliveries. A dispatcher on every instance sends them, signed,
-- at least once, in order per booking, with exponential backoff, and keeps them FAILED after the last try.

CREATE TABLE webhook (
    id         uuid PRIMARY KEY,
    url        text NOT NULL,
    events     text[] NOT NULL CHECK (cardinality(events) > 0),
    secret     text NOT NULL CHECK (length(secret) >= 32),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    removed_at timestamptz
);

CREATE TABLE webhook_delivery (
    id              bigserial PRIMARY KEY,
    webhook_id      uuid NOT NULL REFERENCES webhook (id),
    event_id        bigint NOT NULL REFERENCES booking_event (id),
    booking_id      uuid NOT NULL,
    state           text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    last_status     integer,
    last_error      text,
    delivered_at    timestamptz,
    UNIQUE (webhook_id, event_id),
    CHECK ((state = 'DELIVERED') = (delivered_at IS NOT NULL))
);
-- The dispatcher's scan: due deliveries, oldest first; and "is an earlier one of this booking still pending?".
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at, id) WHERE state = 'PENDING';
CREATE INDEX webhook_delivery_booking ON webhook_delivery (webhook_id, booking_id, id) WHERE state = 'PENDING';
CREATE INDEX webhook_delivery_list ON webhook_delivery (webhook_id, id);

CREATE FUNCTION webhook_delivery_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_delivery (webhook_id, event_id, booking_id)
    SELECT w.id, NEW.id, NEW.booking_id FROM webhook w WHERE w.removed_at IS NULL AND NEW.type = ANY (w.events);
    RETURN NULL;
END;
$$;
CREATE TRIGGER webhook_delivery_per_event AFTER INSERT ON booking_event
    FOR EACH ROW EXECUTE FUNCTION webhook_delivery_on_event();
