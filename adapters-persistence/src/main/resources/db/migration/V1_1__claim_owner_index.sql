-- The engine's claim looks for threads left claimed in a status that does not run (a crash while a
-- paused thread's step was in flight) apart from the runnable ones, so that neither search reads
-- the finished threads: this index finds the claimed rows, which are few.
CREATE INDEX workflow_thread_claim_owner ON workflow_thread (claim_owner);
