-- pgbench: each client updates its own row in its own committed transaction (the PostgreSQL limit
-- that the engine's step writes are compared with)
UPDATE counter SET n = n + 1 WHERE id = :client_id;
