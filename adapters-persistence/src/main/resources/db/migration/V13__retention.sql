-- Retention (docs/api.md "Keeping the store small").

-- the finished threads that have expired, those that finished first first
CREATE INDEX workflow_thread_finished ON workflow_thread (status, finished_at);

-- a deleted thread's deliveries, and the deliveries of pruned events
CREATE INDEX webhook_delivery_thread ON webhook_delivery (thread_id);
CREATE INDEX webhook_delivery_seq ON webhook_delivery (seq);

-- the number up to which the oldest events were pruned: a reader resuming below it must reload
CREATE TABLE event_log_pruned (
    id     INTEGER NOT NULL,
    up_to  BIGINT  NOT NULL,
    CONSTRAINT event_log_pruned_pk PRIMARY KEY (id),
    CONSTRAINT event_log_pruned_one_row CHECK (id = 1)
);
INSERT INTO event_log_pruned (id, up_to) VALUES (1, 0);
