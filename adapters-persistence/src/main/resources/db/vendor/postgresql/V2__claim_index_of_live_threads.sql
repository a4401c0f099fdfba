-- PostgreSQL only (H2 has no partial indexes): the engine's claim query reads only the threads
-- that still need a worker, however many finished threads the table holds.
--
-- With V1's indexes alone, each claim walked the creation-time index through every finished thread
-- older than the first claimable one: with 100,000 stored threads of which the newest 3 % were
-- live, a claim read 97,032 rows (45 ms; docs/postgresql.md). This index holds only the live rows,
-- and the condition of each of the two claim queries implies its predicate, so a claim reads only
-- the rows it takes.
CREATE INDEX workflow_thread_live
    ON workflow_thread (created_at)
    WHERE status IN ('pending', 'running') OR claim_owner IS NOT NULL;

-- The list endpoint's status filter is served by workflow_thread_status_newest. Without claim_until
-- in any index, a lease renewal (which only moves claim_until) is a heap-only update: no index
-- entries written for the several renewals per thread and lease.
DROP INDEX workflow_thread_claimable;
