-- PostgreSQL only. The list's total (docs/api.md "List") counted every matching row: with 100,000
-- threads of one type and status that is a read of the whole table, or of a whole index once
-- vacuum has set the visibility map, on every page of the list. The database now keeps the counts
-- itself, as rows of changes: every insert, delete and change of a thread's status, type or owner
-- adds a row here, in the same transaction, so a total is the sum of a few rows and is exact for
-- every transaction that reads it. Rows are only ever added (no two writers wait for one counter
-- row); a reader that sums many folds them into one per key (JdbcWorkflowThreadStore).

-- no thread written until this migration commits, so that the count of the threads stored before
-- it (at its end) and the triggers' rows after it neither miss nor repeat one
LOCK TABLE workflow_thread IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE thread_count (
    id            BIGINT GENERATED ALWAYS AS IDENTITY,
    workflow_type CHARACTER VARYING(64) NOT NULL,
    status        CHARACTER VARYING(16) NOT NULL,
    owner         CHARACTER VARYING     NOT NULL,
    threads       BIGINT                NOT NULL,
    CONSTRAINT thread_count_pk PRIMARY KEY (id)
);
CREATE INDEX thread_count_by_key ON thread_count (workflow_type, status, owner) INCLUDE (threads);

-- inserts and deletes counted once per statement: a batch create or a retention sweep adds a row
-- per type, status and owner, not one per thread
CREATE FUNCTION thread_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO thread_count (workflow_type, status, owner, threads)
    SELECT workflow_type, status, owner, count(*) FROM inserted
    GROUP BY workflow_type, status, owner;
    RETURN NULL;
END
$$;
CREATE TRIGGER workflow_thread_count_inserts AFTER INSERT ON workflow_thread
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION thread_count_inserted();

CREATE FUNCTION thread_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO thread_count (workflow_type, status, owner, threads)
    SELECT workflow_type, status, owner, -count(*) FROM deleted
    GROUP BY workflow_type, status, owner;
    RETURN NULL;
END
$$;
CREATE TRIGGER workflow_thread_count_deletes AFTER DELETE ON workflow_thread
    REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION thread_count_deleted();

-- an update per row, and only when it moves the thread to another key: the engine's step writes
-- set the status column every time, and most leave it as it was
CREATE FUNCTION thread_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO thread_count (workflow_type, status, owner, threads)
    VALUES (OLD.workflow_type, OLD.status, OLD.owner, -1),
           (NEW.workflow_type, NEW.status, NEW.owner, 1);
    RETURN NULL;
END
$$;
CREATE TRIGGER workflow_thread_count_moves AFTER UPDATE OF status, workflow_type, owner
    ON workflow_thread FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
          OR OLD.workflow_type IS DISTINCT FROM NEW.workflow_type
          OR OLD.owner IS DISTINCT FROM NEW.owner)
    EXECUTE FUNCTION thread_count_moved();

CREATE FUNCTION thread_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM thread_count;
    RETURN NULL;
END
$$;
CREATE TRIGGER workflow_thread_count_truncates AFTER TRUNCATE ON workflow_thread
    FOR EACH STATEMENT EXECUTE FUNCTION thread_count_truncated();

-- the threads stored before this migration
INSERT INTO thread_count (workflow_type, status, owner, threads)
SELECT workflow_type, status, owner, count(*) FROM workflow_thread
GROUP BY workflow_type, status, owner;
