-- PostgreSQL only: a trigram index makes the list's text search (search_text LIKE '%...%') read
-- only the rows that can match, instead of every row (docs/postgresql.md has the plans at 100,000
-- threads).
--
-- pg_trgm ships with PostgreSQL and is a trusted extension (PostgreSQL 13+): a database owner may
-- create it. Where the user may not, or the server lacks it, the migration still succeeds without
-- the index, and the search reads the whole table: docs/postgresql.md says how to add it later.
DO $$
DECLARE
    trgm_schema name;
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    -- The extension lives in the schema of whoever created it first in this database, which need
    -- not be on this schema's search path: name its operator class with that schema.
    SELECT n.nspname INTO trgm_schema
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pg_trgm';
    EXECUTE format(
        'CREATE INDEX workflow_thread_search ON workflow_thread USING gin (search_text %I.gin_trgm_ops)',
        trgm_schema);
EXCEPTION
    WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
        RAISE WARNING 'pg_trgm is not available (%): the list''s text search reads every row', SQLERRM;
END
$$;
