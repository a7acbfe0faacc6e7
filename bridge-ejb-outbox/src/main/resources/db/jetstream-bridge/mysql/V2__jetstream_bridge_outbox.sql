-- JetStream Bridge outbox: one row per event published inside a transaction (MySQL 8, MariaDB 10.6+: InnoDB, which FOR UPDATE SKIP LOCKED needs)
-- status: pending -> sent, or -> failed after the maximum attempts; claimed_by/claimed_until are the relay's lease.
CREATE TABLE jetstream_bridge_outbox_events (
    id              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    event_id        VARCHAR(255)  NOT NULL,
    event_type      VARCHAR(255)  NOT NULL,
    resource_type   VARCHAR(255),
    resource_id     VARCHAR(255),
    subject         VARCHAR(255)  NOT NULL,
    payload         LONGTEXT      NOT NULL,
    headers         VARCHAR(4000),
    status          VARCHAR(32)   NOT NULL DEFAULT 'pending',
    attempts        INTEGER       NOT NULL DEFAULT 0,
    last_error      VARCHAR(4000),
    created_at      DATETIME(6)   NOT NULL,
    next_attempt_at DATETIME(6)   NOT NULL,
    claimed_until   DATETIME(6),
    claimed_by      VARCHAR(255),
    sent_at         DATETIME(6),
    stream_seq      BIGINT,
    CONSTRAINT jetstream_bridge_outbox_events_event_id UNIQUE (event_id)
) ENGINE=InnoDB;
-- the relay's claim: pending rows whose next attempt is due, longest due first (the claim's ORDER BY)
CREATE INDEX jetstream_bridge_outbox_events_claim ON jetstream_bridge_outbox_events (status, next_attempt_at, id);
-- per-resource ordering: the oldest unfinished row of a resource
CREATE INDEX jetstream_bridge_outbox_events_resource ON jetstream_bridge_outbox_events (resource_type, resource_id, id);
-- retention: sent rows by age
CREATE INDEX jetstream_bridge_outbox_events_retention ON jetstream_bridge_outbox_events (status, sent_at);
