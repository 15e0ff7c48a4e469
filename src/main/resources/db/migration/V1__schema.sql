-- FirstVisit schema. PostgreSQL is the record; Redis is only the admission gate.
-- The constraints below are the second guard: even if Redis were wrong, PostgreSQL refuses to
-- commit an oversold slot (I1) or a second active booking per patient per department-day.

CREATE TABLE hospital (
    id        uuid PRIMARY KEY,
    code      text NOT NULL UNIQUE,
    name      text NOT NULL,
    time_zone text NOT NULL DEFAULT 'Asia/Shanghai'
);

CREATE TABLE department (
    id              uuid PRIMARY KEY,
    hospital_id     uuid NOT NULL REFERENCES hospital (id),
    code            text NOT NULL,
    name            text NOT NULL,
    max_patient_age integer NOT NULL CHECK (max_patient_age BETWEEN 0 AND 150),
    UNIQUE (hospital_id, code)
);

CREATE TABLE doctor (
    id                    uuid PRIMARY KEY,
    department_id         uuid NOT NULL REFERENCES department (id),
    name                  text NOT NULL,
    title                 text NOT NULL,
    first_visit_qualified boolean NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE slot (
    id            uuid PRIMARY KEY,
    doctor_id     uuid NOT NULL REFERENCES doctor (id),
    department_id uuid NOT NULL REFERENCES department (id),
    visit_date    date NOT NULL,
    visit_type    text NOT NULL CHECK (visit_type IN ('FIRST', 'FOLLOW_UP')),
    start_at      timestamptz NOT NULL,
    end_at        timestamptz NOT NULL,
    capacity      integer NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
    release_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (start_at < end_at),
    CHECK (release_at < start_at),
    UNIQUE (doctor_id, start_at),
    -- target of booking's composite foreign key: a booking copies these and cannot lie about them
    UNIQUE (id, capacity, department_id, visit_date)
);
CREATE INDEX slot_department_day ON slot (department_id, visit_date);

CREATE TABLE patient (
    id         uuid PRIMARY KEY,
    account_id text NOT NULL,
    name       text NOT NULL,
    birth_date date NOT NULL,
    sex        text NOT NULL CHECK (sex IN ('FEMALE', 'MALE')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX patient_account ON patient (account_id);

CREATE TABLE booking (
    id              uuid PRIMARY KEY,
    slot_id         uuid NOT NULL,
    slot_capacity   integer NOT NULL,
    seat            integer NOT NULL,
    patient_id      uuid NOT NULL REFERENCES patient (id),
    account_id      text NOT NULL,
    department_id   uuid NOT NULL,
    visit_date      date NOT NULL,
    status          text NOT NULL CHECK (status IN ('CONFIRMED', 'CANCELLED')),
    idempotency_key text,
    created_at      timestamptz NOT NULL,
    cancelled_at    timestamptz,
    FOREIGN KEY (slot_id, slot_capacity, department_id, visit_date)
        REFERENCES slot (id, capacity, department_id, visit_date),
    -- I1 in the database: seats are numbered 1..capacity and an active seat is held once,
    -- so active bookings can never exceed capacity, whatever Redis says.
    CHECK (seat BETWEEN 1 AND slot_capacity),
    CHECK ((status = 'CANCELLED') = (cancelled_at IS NOT NULL))
);
CREATE UNIQUE INDEX booking_active_seat ON booking (slot_id, seat) WHERE status = 'CONFIRMED';
CREATE UNIQUE INDEX booking_active_patient_day ON booking (patient_id, department_id, visit_date) WHERE status = 'CONFIRMED';
CREATE UNIQUE INDEX booking_idempotency ON booking (account_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX booking_account ON booking (account_id, created_at);
CREATE INDEX booking_patient ON booking (patient_id, created_at);
