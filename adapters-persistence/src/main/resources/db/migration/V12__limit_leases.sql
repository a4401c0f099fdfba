-- Limits per agent and per workflow type (docs/api.md "Scheduling, priority and limits"), kept
-- across every node sharing the database. A node taking a place locks the limit's row, so that
-- takers of one limit go one at a time, counts the live places and marks, and adds its own.

-- One row per limit ever used: what takers lock, and a hold-back a 429 asked for.
CREATE TABLE limit_state (
    limit_key       CHARACTER VARYING(200)   NOT NULL,
    held_back_until TIMESTAMP WITH TIME ZONE,
    CONSTRAINT limit_state_pk PRIMARY KEY (limit_key)
);

-- The places taken: a concurrency lease lives until lease_until unless its node renews it (a dead
-- node's leases so expire); a rate mark counts until its period has passed. Expired rows are
-- deleted by the next taker of the limit.
CREATE TABLE limit_lease (
    limit_key   CHARACTER VARYING(200)   NOT NULL,
    kind        CHARACTER VARYING(12)    NOT NULL,
    holder      CHARACTER VARYING(64)    NOT NULL,
    -- the node holding a concurrency lease; null for a rate mark
    owner       CHARACTER VARYING(128),
    lease_until TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT limit_lease_pk PRIMARY KEY (limit_key, kind, holder),
    CONSTRAINT limit_lease_kind_check CHECK (kind IN ('concurrency', 'rate'))
);

-- A taker counts the live rows of one limit and kind, and deletes the expired ones.
CREATE INDEX limit_lease_live ON limit_lease (limit_key, kind, lease_until);
-- A node renews its own leases.
CREATE INDEX limit_lease_owner ON limit_lease (owner);
