-- One row that readiness rewrites: a database that answers reads may still refuse writes (closed,
-- its disk full, opened read-only), and only a write tells.
CREATE TABLE store_probe (
    id         INTEGER PRIMARY KEY,
    written_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO store_probe (id, written_at) VALUES (1, CURRENT_TIMESTAMP);
