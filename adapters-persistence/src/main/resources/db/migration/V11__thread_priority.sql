-- Priority and delayed start (docs/api.md "Scheduling, priority and limits"). A thread's start_at
-- is kept in its request and, until it has passed, as the claim's end (claim_until with no owner,
-- as a retry backoff is): the claim query already skips such rows through its index.
ALTER TABLE workflow_thread ADD COLUMN priority INTEGER DEFAULT 0 NOT NULL;

-- The claim query takes each runnable status highest priority first, then oldest: read in this
-- order, it stops after the rows it locks instead of sorting every pending thread.
CREATE INDEX workflow_thread_claim_order ON workflow_thread (status, priority DESC, created_at);
