-- JetStream Bridge inbox: one row per consumed event id (MySQL 8, MariaDB 10.6+)
-- utf8mb4 whatever the server's or database's default (MariaDB's built-in default before 11.6 is latin1, which
-- rejects most non-Latin text); event ids compare exactly (utf8mb4_bin), as in Java and on the other databases: under
-- the default case-insensitive collation 'abc' and 'ABC' would collide and a distinct event be skipped as a duplicate.
CREATE TABLE jetstream_bridge_inbox_events (
    event_id      VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
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
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4;
CREATE INDEX jetstream_bridge_inbox_events_status_processed ON jetstream_bridge_inbox_events (status, processed_at);
