-- The waiting room (issue 11 §1). A department-day's release is either FIRST_COME (the race, as before) or QUEUE:
-- parents take a ticket from release_at - pre_queue_minutes; at release_at the tickets taken before it are in a
-- uniformly random order (their draw), later ones join the back in arrival order, and tickets are admitted at
-- admit_per_second for pass_minutes each. Redis decides positions and admission instants (queue-*.lua); these
-- tables are the record a lost Redis is rebuilt from.

-- The first publication of a department-day fixes its admission; later ones must agree (409 admission-conflict).
CREATE TABLE release_admission (
    department_id     uuid        NOT NULL REFERENCES department (id),
    visit_date        date        NOT NULL,
    mode              text        NOT NULL CHECK (mode IN ('FIRST_COME', 'QUEUE')),
    -- A QUEUE day has one release instant, shared by all its slots: the line is drawn once.
    release_at        timestamptz NOT NULL,
    pre_queue_minutes integer,
    admit_per_second  integer,
    pass_minutes      integer,
    created_at        timestamptz NOT NULL,
    PRIMARY KEY (department_id, visit_date),
    CHECK (mode = 'FIRST_COME' AND pre_queue_minutes IS NULL AND admit_per_second IS NULL AND pass_minutes IS NULL
        OR mode = 'QUEUE' AND pre_queue_minutes BETWEEN 1 AND 1440 AND admit_per_second BETWEEN 1 AND 100000
                          AND pass_minutes BETWEEN 1 AND 120)
);

-- Days published before this migration were first-come races.
INSERT INTO release_admission (department_id, visit_date, mode, release_at, created_at)
SELECT department_id, visit_date, 'FIRST_COME', min(release_at), now() FROM slot GROUP BY department_id, visit_date;

CREATE TABLE queue_ticket (
    id            uuid        PRIMARY KEY,
    department_id uuid        NOT NULL,
    visit_date    date        NOT NULL,
    account_id    text        NOT NULL,
    -- Taken before the release: uniformly random in [0, 1), its place in the line. Never shown before release_at.
    draw          double precision CHECK (draw >= 0 AND draw < 1),
    -- Taken after the release (or re-queued): the n-th to join the back, and the instant it is admitted. Written
    -- once Redis placed it; a ticket without them (its placement in flight when Redis was lost) is placed again.
    -- Set on a ticket with a draw too when it reached Redis after the back of the line had begun (clocks apart):
    -- joined wins, so nobody already placed behind the release moves.
    joined        bigint CHECK (joined > 0),
    admit_at      timestamptz,
    created_at    timestamptz NOT NULL,
    -- A ticket whose pass expired unused may be replaced by a new one at the back; the old one keeps its place in
    -- the line (positions never move), it only stops being the account's ticket.
    superseded_at timestamptz,
    FOREIGN KEY (department_id, visit_date) REFERENCES release_admission (department_id, visit_date),
    CHECK ((joined IS NULL) = (admit_at IS NULL))
);

-- One ticket per account per department-day: asking again returns it, so more requests give no advantage.
CREATE UNIQUE INDEX queue_ticket_current ON queue_ticket (department_id, visit_date, account_id) WHERE superseded_at IS NULL;
CREATE INDEX queue_ticket_day ON queue_ticket (department_id, visit_date);
