-- Webhooks: receivers of threads' events, with how far delivery has come, and each event's
-- delivery as its last attempt left it.
CREATE TABLE webhook (
    id              UUID                     NOT NULL,
    url             CHARACTER VARYING        NOT NULL,
    -- the wanted event types' names separated by spaces; empty for every type
    event_types     CHARACTER VARYING        NOT NULL,
    -- the key of the deliveries' HMAC signature: it must be kept as given
    secret          CHARACTER VARYING        NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    -- the last event handled; delivery goes on after it
    delivered_up_to BIGINT                   NOT NULL,
    -- failed attempts in a row at the next event, and when to try it again
    failed_attempts INTEGER                  NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT webhook_pk PRIMARY KEY (id)
);

CREATE TABLE webhook_delivery (
    webhook_id      UUID                     NOT NULL,
    seq             BIGINT                   NOT NULL,
    event_type      CHARACTER VARYING(32)    NOT NULL,
    thread_id       UUID                     NOT NULL,
    -- delivered or retrying
    status          CHARACTER VARYING(16)    NOT NULL,
    attempts        INTEGER                  NOT NULL,
    last_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    response_status INTEGER,
    error           CHARACTER VARYING,
    CONSTRAINT webhook_delivery_pk PRIMARY KEY (webhook_id, seq),
    CONSTRAINT webhook_delivery_webhook_fk
        FOREIGN KEY (webhook_id) REFERENCES webhook (id) ON DELETE CASCADE
);
