-- The time spent waiting on a limit (docs/api.md "Scheduling, priority and limits") is measured
-- from a thread's first refusal on any node: the node refusing a thread notes when, unless a refusal
-- is noted already, and the node that finally gives the thread its places reads and deletes the row.
-- No foreign key: a deleted thread's row is deleted by its engine, and a row left over costs nothing
-- but its space.
CREATE TABLE limit_wait (
    thread_id UUID                     NOT NULL,
    limit_key CHARACTER VARYING(200)   NOT NULL,
    since     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT limit_wait_pk PRIMARY KEY (thread_id)
);
