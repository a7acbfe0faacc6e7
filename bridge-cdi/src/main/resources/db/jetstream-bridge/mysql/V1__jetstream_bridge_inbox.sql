-- JetStream Bridge inbox: one row per consumed event id (MySQL 8, MariaDB 10.6+)
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
    received_at   DATETIME(6)     NOT NULL,
    processed_at  DATETIME(6),
    failed_at     DATETIME(6),
    created_at    DATETIME(6)     NOT NULL,
    updated_at    DATETIME(6)     NOT NULL
);
CREATE INDEX jetstream_bridge_inbox_events_status_processed ON jetstream_bridge_inbox_events (status, processed_at);
