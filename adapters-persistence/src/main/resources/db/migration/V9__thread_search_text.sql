-- The list endpoint's text search (q) looks in a thread's title and prompt, ignoring case. The
-- prompt is inside the request's JSON, which neither database can index the same way, so each row
-- keeps the lower-case text searched (ListThreadsQuery.searchTextOf), written when the thread is
-- stored. Rows stored before this migration get theirs from V9.1 (ThreadSearchTextMigration, Java:
-- reading the request's JSON is the application's job); on PostgreSQL V9.2 indexes it.
ALTER TABLE workflow_thread ADD COLUMN search_text CHARACTER VARYING;
