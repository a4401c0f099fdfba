-- PostgreSQL only: a trigram index makes the list's text search (search_text LIKE '%...%') read
-- only the rows that can match, instead of every row (docs/postgresql.md has the plans at 100,000
-- threads).
--
-- pg_trgm ships with PostgreSQL and is a trusted extension (PostgreSQL 13+): a database owner may
-- create it. Where the user may not, or the server lacks it, the migration still succeeds without
-- the index, and the search reads the whole table: docs/postgresql.md says how to add it later.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX workflow_thread_search ON workflow_thread USING gin (search_text gin_trgm_ops);
EXCEPTION
    WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
        RAISE WARNING 'pg_trgm is not available (%): the list''s text search reads every row', SQLERRM;
END
$$;
