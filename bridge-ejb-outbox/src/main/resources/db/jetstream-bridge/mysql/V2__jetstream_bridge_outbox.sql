-- JetStream Bridge outbox: one row per event published inside a transaction (MySQL 8, MariaDB 10.6+: InnoDB, which FOR UPDATE SKIP LOCKED needs)
-- status: pending -> sent, or -> failed after the maximum attempts; claimed_by/claimed_until are the relay's lease.
-- utf8mb4 whatever the server's or database's default (MariaDB's built-in default before 11.6 is latin1, which
-- rejects most non-Latin payloads); event ids compare exactly (utf8mb4_bin), as in Java and on the other databases:
-- under the default case-insensitive collation 'abc' and 'ABC' would collide on the unique key.
CREATE TABLE jetstream_bridge_outbox_events (
    id              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    event_id        VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
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
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4;
-- the relay's claim: pending rows whose next attempt is due, longest due first (the claim's ORDER BY)
CREATE INDEX jetstream_bridge_outbox_events_claim ON jetstream_bridge_outbox_events (status, next_attempt_at, id);
-- per-resource ordering: the oldest unfinished row of a resource
CREATE INDEX jetstream_bridge_outbox_events_resource ON jetstream_bridge_outbox_events (resource_type, resource_id, id);
-- retention: sent rows by age
CREATE INDEX jetstream_bridge_outbox_events_retention ON jetstream_bridge_outbox_events (status, sent_at);
