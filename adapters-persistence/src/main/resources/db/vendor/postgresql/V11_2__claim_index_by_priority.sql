-- PostgreSQL only (H2 has no partial indexes). The claim reads the live threads highest priority
-- first, then oldest (V11): this index holds only the live rows, in that order, so that each of
-- the claim's queries reads the rows it takes and stops, however many finished threads are stored.
-- It replaces V2's index of live rows in creation order, which the claim no longer reads in, and
-- V11's portable index, which on PostgreSQL would only cost writes. Like V2's, it leaves
-- claim_until out, so that a lease renewal stays a heap-only update.
CREATE INDEX workflow_thread_live_by_priority
    ON workflow_thread (priority DESC, created_at)
    WHERE status IN ('pending', 'running') OR claim_owner IS NOT NULL;

DROP INDEX workflow_thread_live;
DROP INDEX workflow_thread_claim_order;
