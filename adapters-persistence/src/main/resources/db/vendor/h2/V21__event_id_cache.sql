-- H2 only: the identity of thread_event (the insertion order, V3) hands out its values from a cache
-- of 32 by default, and each time the cache runs out H2 writes the sequence's new limit in a commit
-- of its own, which with WRITE_DELAY=0 stores a chunk to the file: about one extra file write per 32
-- events, taken under a lock every inserting connection waits on. With 1,000 that write happens
-- 30 times less often. After a crash the next value starts past the last limit written, so values
-- are skipped, never given twice; the numbering needs only their order, not that they are dense.
-- (PostgreSQL keeps its default: there a cache is per connection and would break the order.)
ALTER TABLE thread_event ALTER COLUMN id SET CACHE 1000;
