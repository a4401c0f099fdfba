-- Events are numbered after their transaction commits, one numbering transaction at a time, so
-- that a reader never sees event N+1 before event N (see JpaThreadEventLog for why an identity
-- column alone cannot promise that):
--   id  the identity that orders events as they were inserted (the old seq column, renamed);
--   seq the number readers see, NULL until the numbering transaction gives it.
-- Events stored before this migration keep their numbers.
ALTER TABLE thread_event RENAME COLUMN seq TO id;
ALTER TABLE thread_event ADD COLUMN seq BIGINT;
UPDATE thread_event SET seq = id;

DROP INDEX thread_event_thread_seq;
-- readers: every event after a number, and one thread's events after a number
CREATE UNIQUE INDEX thread_event_seq ON thread_event (seq);
CREATE INDEX thread_event_thread_seq ON thread_event (thread_id, seq);

-- One row: the last number given. The numbering transaction locks it first, which makes numbering
-- transactions (on every node) run one after the other.
CREATE TABLE event_sequence (
    id       INTEGER NOT NULL,
    last_seq BIGINT  NOT NULL,
    CONSTRAINT event_sequence_pk PRIMARY KEY (id),
    CONSTRAINT event_sequence_one_row CHECK (id = 1)
);
INSERT INTO event_sequence (id, last_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM thread_event;
