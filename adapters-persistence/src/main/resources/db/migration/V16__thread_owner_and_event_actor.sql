-- Who may see what (docs/api.md "Who may do what"): a thread belongs to the owner that created it,
-- and every event names its actor, the owner that caused it or 'engine'. Threads and events stored
-- before this migration were all made by the one local admin of a service without credentials.
-- Numbered after every migration released before it: Flyway refuses to apply a migration numbered
-- below the newest one a database already has, so a lower number would stop upgrades.
ALTER TABLE workflow_thread ADD COLUMN owner CHARACTER VARYING DEFAULT 'local' NOT NULL;
ALTER TABLE workflow_thread ALTER COLUMN owner DROP DEFAULT;

-- A non-admin's list (newest first) and its counts by status and type read only its own rows.
CREATE INDEX workflow_thread_owner_newest
    ON workflow_thread (owner, created_at DESC, thread_id DESC);
CREATE INDEX workflow_thread_owner_status_type ON workflow_thread (owner, status, workflow_type);

-- An event keeps its thread's owner, since the events of a deleted thread outlive its row: a
-- non-admin's event stream reads its own threads' events through (owner, seq).
ALTER TABLE thread_event ADD COLUMN owner CHARACTER VARYING DEFAULT 'local' NOT NULL;
ALTER TABLE thread_event ALTER COLUMN owner DROP DEFAULT;
ALTER TABLE thread_event ADD COLUMN actor CHARACTER VARYING DEFAULT 'engine' NOT NULL;
ALTER TABLE thread_event ALTER COLUMN actor DROP DEFAULT;
-- the changes only a person asks for were the local admin's
UPDATE thread_event SET actor = 'local'
 WHERE type IN ('thread_created', 'thread_resumed', 'thread_retried', 'thread_deleted');
CREATE INDEX thread_event_owner_seq ON thread_event (owner, seq);
