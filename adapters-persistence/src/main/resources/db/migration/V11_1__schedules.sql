-- Cron schedules (docs/api.md "Scheduling, priority and limits"): the definition as the client put
-- it, and the bookkeeping of its runs. Firing is claimed as threads are: a node holds a due
-- schedule until claim_until while it creates the thread of next_run_at.
CREATE TABLE schedule (
    name          CHARACTER VARYING(128)   NOT NULL,
    cron          CHARACTER VARYING(256)   NOT NULL,
    zone          CHARACTER VARYING(64)    NOT NULL,
    workflow_type CHARACTER VARYING(64)    NOT NULL,
    prompt        CHARACTER VARYING,
    -- JSON object of extra inputs
    input         CHARACTER VARYING        NOT NULL,
    enabled       BOOLEAN                  NOT NULL,
    -- the next due time; null while disabled
    next_run_at   TIMESTAMP WITH TIME ZONE,
    -- the due time of the last thread created
    last_run_at   TIMESTAMP WITH TIME ZONE,
    claim_owner   CHARACTER VARYING(128),
    claim_until   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT schedule_pk PRIMARY KEY (name)
);

-- each node asks for the due schedules every second
CREATE INDEX schedule_due ON schedule (next_run_at);
