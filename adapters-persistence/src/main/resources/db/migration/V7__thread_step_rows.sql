-- A thread's steps in rows of their own, one per step, so that a step's start or result writes that
-- step's row only: the steps' JSON column of workflow_thread was rewritten whole on every step
-- write, so a write grew with the thread. V7_1 (a Java migration, since H2 and PostgreSQL read JSON
-- differently) moves the steps stored so far into these rows and drops that column.
CREATE TABLE thread_step (
    thread_id   UUID                     NOT NULL,
    -- the step's place in the thread, 0 for the first
    step_index  INTEGER                  NOT NULL,
    name        CHARACTER VARYING        NOT NULL,
    agent       CHARACTER VARYING        NOT NULL,
    -- the API's lower-case step status names
    status      CHARACTER VARYING(16)    NOT NULL,
    attempts    INTEGER                  NOT NULL,
    failures    INTEGER                  NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE,
    finished_at TIMESTAMP WITH TIME ZONE,
    -- JSON object: what the agent returned
    output      CHARACTER VARYING,
    error       CHARACTER VARYING,
    -- a parked attempt's wake-up time, or the earliest start of a pending step's next attempt
    due_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT thread_step_pk PRIMARY KEY (thread_id, step_index),
    -- a thread's deletion takes its steps with it, in the same statement
    CONSTRAINT thread_step_thread_fk
        FOREIGN KEY (thread_id) REFERENCES workflow_thread (thread_id) ON DELETE CASCADE
);
