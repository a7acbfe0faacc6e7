-- JetStream Bridge inbox: one row per consumed event id (PostgreSQL 12+)
CREATE TABLE jetstream_bridge_inbox_events (
    event_id      VARCHAR(255)  NOT NULL PRIMARY KEY,
    event_type    VARCHAR(255)  NOT NULL,
    resource_type VARCHAR(255),
    resource_id   VARCHAR(255),
    subject       VARCHAR(255),
    stream        VARCHAR(255),
    stream_seq    BIGINT,
    deliveries    BIGINT        NOT NULL DEFAULT 0,
    status        VARCHAR(32)   NOT NULL,
    attempts      INTEGER       NOT NULL DEFAULT 0,
    last_error    VARCHAR(4000),
    received_at   TIMESTAMP     NOT NULL,
    processed_at  TIMESTAMP,
    failed_at     TIMESTAMP,
    created_at    TIMESTAMP     NOT NULL,
    updated_at    TIMESTAMP     NOT NULL
);
CREATE INDEX jetstream_bridge_inbox_events_status_processed ON jetstream_bridge_inbox_events (status, processed_at);
