-- The tasks of worker steps (docs/api.md "worker"): one per attempt, gone with its thread.
CREATE TABLE worker_task (
    task_id                  UUID                     NOT NULL,
    thread_id                UUID                     NOT NULL,
    step_name                CHARACTER VARYING(200)   NOT NULL,
    attempt                  INTEGER                  NOT NULL,
    queue                    CHARACTER VARYING(200)   NOT NULL,
    heartbeat_timeout_millis BIGINT                   NOT NULL,
    -- JSON object: what the worker is given (config, input, step_outputs)
    payload                  CHARACTER VARYING        NOT NULL,
    -- queued, leased, completed, failed
    state                    CHARACTER VARYING(16)    NOT NULL,
    worker_id                CHARACTER VARYING(200),
    lease_until              TIMESTAMP WITH TIME ZONE,
    -- JSON object: the worker's output, or its error and whether it may be retried
    result                   CHARACTER VARYING,
    progress                 CHARACTER VARYING,
    created_at               TIMESTAMP WITH TIME ZONE NOT NULL,
    version                  BIGINT                   NOT NULL,
    CONSTRAINT worker_task_pk PRIMARY KEY (task_id),
    CONSTRAINT worker_task_attempt UNIQUE (thread_id, step_name, attempt),
    CONSTRAINT worker_task_thread_fk FOREIGN KEY (thread_id)
        REFERENCES workflow_thread (thread_id) ON DELETE CASCADE,
    CONSTRAINT worker_task_state_check
        CHECK (state IN ('queued', 'leased', 'completed', 'failed'))
);

-- A poll: the oldest queued tasks of some queues.
CREATE INDEX worker_task_queued ON worker_task (state, queue, created_at);
