-- The list endpoint's total counts every matching thread on each request. Filtered by status and
-- workflow type, that count read the whole table (the steps' JSON makes its rows large): with
-- 100,000 matching threads on PostgreSQL, a 35 ms sequential scan warm, against 16 to 22 ms for an
-- index-only scan of this index (docs/benchmarks.md). The status filter alone is counted from
-- workflow_thread_status_newest the same way.
CREATE INDEX workflow_thread_status_type ON workflow_thread (status, workflow_type);
