-- The tasks that a worker held when their thread was deleted (docs/api.md "worker"): a task goes
-- with its thread, yet until its lease would have run out its worker is told to stop
-- (cancel_requested) and its result is refused (409), by every node sharing the database and after
-- a restart, rather than answered as a task nobody knows (404). A mark is written in the delete's
-- transaction and removed by a later delete once its lease has run out.
CREATE TABLE cancelled_worker_task (
    task_id     UUID                     NOT NULL,
    -- the owner of the deleted thread: another owner's worker is not told of it
    owner       CHARACTER VARYING        NOT NULL,
    lease_until TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT cancelled_worker_task_pk PRIMARY KEY (task_id)
);

-- the marks whose lease has run out, which a delete removes
CREATE INDEX cancelled_worker_task_lease ON cancelled_worker_task (lease_until);
