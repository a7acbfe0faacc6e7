package io.jetstreambridge.config;

/**
 * Every configuration key, declared once with its default and meaning. {@code docs/configuration.md} lists the
 * same keys; a test fails when the two drift apart. Defaults are for development; a {@link Preset} may change
 * some of them, and an explicit value always wins.
 */
public enum ConfigKey {

    PRESET("preset", "development",
            "Named set of defaults: development, test, production, staging, high-throughput, maximum-reliability."),
    APP_NAME("app-name", null,
            "Required. This application's name: publishes on {app}.sync.{destination}, consumes as {app}-workers."),
    DESTINATION_APP("destination-app", null,
            "Required, or destination-apps. The one application this one exchanges events with."),
    DESTINATION_APPS("destination-apps", null,
            "Comma-separated: the applications this one exchanges events with, instead of destination-app. The first "
                    + "keeps the durable {app}-workers, each other peer's is {app}-workers-{peer}."),
    STREAM_NAME("stream-name", "jetstream-bridge-stream", "JetStream stream that holds the subjects."),
    AUTO_PROVISION("auto-provision", "true",
            "Create or update the stream and the durable consumer at start-up. When false the bridge makes no "
                    + "$JS.API management calls; an administrator provisions beforehand."),
    DLQ_ENABLED("dlq.enabled", "true", "Add the dead-letter subject {app}.sync.dlq to the stream and use it."),

    NATS_URLS("nats.urls", "nats://127.0.0.1:4222",
            "Comma-separated server URLs (nats://, tls://, ws://, wss://). When unset, NATS_URLS then NATS_URL "
                    + "from the environment are used."),
    NATS_CONNECTION_NAME("nats.connection-name", null,
            "Connection name shown by the server (monitoring, logs). Default: jetstream-bridge:{app-name}."),
    NATS_USER("nats.user", null, "User name for user/password authentication (needs nats.password)."),
    NATS_PASSWORD("nats.password", null, "Password for user/password authentication. Never logged."),
    NATS_TOKEN("nats.token", null, "Token authentication. Never logged."),
    NATS_NKEY_SEED("nats.nkey-seed", null, "NKey user seed (starts with SU) for nkey authentication. Never logged."),
    NATS_CREDS_FILE("nats.creds-file", null, "Path to a .creds file (JWT and nkey seed) for decentralised auth."),
    NATS_TLS_ENABLED("nats.tls.enabled", "false",
            "Use TLS (also implied by tls:// or wss:// URLs). Without a truststore the JVM's default trust is used."),
    NATS_TLS_TRUSTSTORE("nats.tls.truststore", null, "Path to a truststore (PKCS12 or JKS) with the server's CA."),
    NATS_TLS_TRUSTSTORE_PASSWORD("nats.tls.truststore-password", null, "Truststore password. Never logged."),
    NATS_TLS_KEYSTORE("nats.tls.keystore", null, "Path to a keystore with the client certificate (mutual TLS)."),
    NATS_TLS_KEYSTORE_PASSWORD("nats.tls.keystore-password", null, "Keystore password. Never logged."),
    NATS_CONNECT_TIMEOUT("nats.connect-timeout", "2s", "Time allowed for one connection attempt."),
    NATS_RECONNECT_WAIT("nats.reconnect-wait", "2s", "Wait between reconnection attempts to the same server."),
    NATS_MAX_RECONNECTS("nats.max-reconnects", "-1", "Reconnection attempts before giving up; -1 means forever."),
    NATS_PING_INTERVAL("nats.ping-interval", "30s", "Interval of client pings that detect a dead connection."),
    NATS_LAZY_CONNECT("nats.lazy-connect", "false",
            "Connect in the background instead of at start-up, so the application starts while NATS is down."),

    STREAM_STORAGE("stream.storage", "file", "Stream storage: file or memory."),
    STREAM_REPLICAS("stream.replicas", "1", "Stream replicas, 1 to 5 (3 on a cluster for production)."),
    STREAM_DUPLICATE_WINDOW("stream.duplicate-window", "2m",
            "Window in which JetStream drops a second message with the same Nats-Msg-Id. Must be longer than the "
                    + "longest time a publish can be retried, and with the outbox longer than its retry span."),

    CONSUMER_ENABLED("consumer.enabled", "true", "Provision (and later run) the durable consumer {app}-workers."),
    CONSUMER_MODE("consumer.mode", "pull", "pull or push."),
    CONSUMER_BATCH_SIZE("consumer.batch-size", "100",
            "Messages fetched per pull request and processed in one transaction; 1 for one per message. 1 to 10000."),
    CONSUMER_FETCH_TIMEOUT("consumer.fetch-timeout", "5s", "Longest wait of one pull request for messages."),
    CONSUMER_MAX_DELIVER("consumer.max-deliver", "5",
            "Deliveries of one message before it is dead-lettered (server max_deliver), at least 1."),
    CONSUMER_ACK_WAIT("consumer.ack-wait", "30s", "Time the server waits for an ack before redelivering; "
            + "no effect while consumer.backoff is set (the server then waits the backoff's steps)."),
    CONSUMER_BACKOFF("consumer.backoff", "1s,5s,15s,30s",
            "Comma-separated redelivery delays sent to the server; fewer steps than consumer.max-deliver. "
                    + "'none' means no backoff."),
    CONSUMER_CONCURRENCY("consumer.concurrency", "1", "Workers sharing the durable consumer, 1 to 64."),
    CONSUMER_PROCESSING_TIMEOUT("consumer.processing-timeout", "5m",
            "Longest time observers may take for one message. Meanwhile the message is kept from redelivery "
                    + "(in-progress acks); past it the transaction is rolled back and the message nak'ed."),
    CONSUMER_DRAIN_TIMEOUT("consumer.drain-timeout", "10s",
            "At shut-down, time allowed to finish the messages in hand; the rest are redelivered later."),
    CONSUMER_UNRECOVERABLE_EXCEPTIONS("consumer.unrecoverable-exceptions", null,
            "Comma-separated exception class names (subclasses included) that dead-letter a message at once, like "
                    + "UnrecoverableEventException."),
    CONSUMER_DELIVER_SUBJECT("consumer.push.deliver-subject", null,
            "Push mode delivery subject. Default: {destination}.sync.{app}.worker."),
    CONSUMER_QUEUE_GROUP("consumer.push.queue-group", null, "Push mode queue group. Default: {app}-workers."),
    CONSUMER_UNOBSERVED_EVENTS("consumer.unobserved-events", "ack",
            "What happens to an event no observer matches (logged once per type, counted): ack, or dead-letter "
                    + "with reason no_observer."),
    CONSUMER_MAX_DELIVERIES_WATCH("consumer.max-deliveries-watch", null,
            "Listen to the server's MAX_DELIVERIES advisory and move a message the server gave up on to the DLQ "
                    + "(max_deliver_exceeded). Default: the value of auto-provision."),
    CONSUMER_MAX_ACK_PENDING("consumer.max-ack-pending", null,
            "Messages the server hands out without an ack yet (max_ack_pending), at least consumer.concurrency. "
                    + "Default: 4 x consumer.concurrency in push mode (bounds what waits in an instance), the "
                    + "server's default (1000) in pull mode."),
    CONSUMER_DRIFT("consumer.drift", "update",
            "update or report: an existing durable whose ack wait, backoff, max deliver or max ack pending differ "
                    + "from the configuration is updated in place (logged), or only reported."),

    INBOX_ENABLED("inbox.enabled", "false",
            "Record each consumed event id in jetstream_bridge_inbox_events in the observers' transaction, so a "
                    + "redelivered or re-published event never reaches observers twice."),

    INBOX_RETENTION("inbox.retention", "7d",
            "How long processed and failed inbox rows are kept before clean-up deletes them."),

    OUTBOX_ENABLED("outbox.enabled", "false",
            "Publish through the transactional outbox: inside a JTA transaction publish writes a row that is relayed "
                    + "after commit (needs bridge-ejb-outbox)."),
    OUTBOX_DATABASE("outbox.database", "auto",
            "Database of the outbox table, for its claim SQL: auto (from the JDBC connection), postgresql, mysql, "
                    + "mariadb, h2 or derby."),
    OUTBOX_ORDERING("outbox.ordering", "none",
            "none, or resource: events of one resource (type and id) leave in order, a failing one holds back the "
                    + "later ones of its resource."),
    OUTBOX_SENT_ROWS("outbox.sent-rows", "delete",
            "delete, or keep: a row JetStream acknowledged is deleted in the relay's own transaction, or kept as "
                    + "'sent' (sent_at, stream_seq) until clean-up removes it after outbox.retention (needs the "
                    + "optional retention index)."),
    OUTBOX_BATCH_SIZE("outbox.relay.batch-size", "500", "Rows claimed and published per relay round, 1 to 10000."),
    OUTBOX_POLL_INTERVAL("outbox.relay.poll-interval", "1s", "How often the sweeper looks for rows to (re)publish."),
    OUTBOX_GRACE_PERIOD("outbox.relay.grace-period", "10s",
            "Age after which the sweeper takes a pending row the after-commit fast path has not sent."),
    OUTBOX_LEASE("outbox.relay.lease", "30s",
            "How long a relay owns rows it claimed; after that another relay may publish them again."),
    OUTBOX_MAX_ATTEMPTS("outbox.relay.max-attempts", "5",
            "Attempts of one row that JetStream refused or did not acknowledge in time before it is marked failed "
                    + "(then retried or discarded by an operator); publishes not made because NATS is away, or "
                    + "answered 'no responders', do not count. With stream.duplicate-window it bounds the outbox's "
                    + "retry span."),
    OUTBOX_RETRY_BACKOFF("outbox.relay.retry-backoff", "1s",
            "Wait before a row's second attempt; doubles per attempt, at most 5m."),
    OUTBOX_RETENTION("outbox.retention", "7d",
            "With outbox.sent-rows=keep, how long sent outbox rows are kept before clean-up deletes them."),
    RETENTION_BATCH_SIZE("retention.batch-size", "1000",
            "Rows deleted per clean-up statement, so the tables are never locked for long, 1 to 100000."),
    RETENTION_INTERVAL("retention.interval", "10m", "How often sent outbox and old inbox rows are cleaned up."),

    PUBLISH_ACK_TIMEOUT("publish.ack-timeout", "5s", "Time one publish attempt waits for JetStream's ack."),
    PUBLISH_MAX_ATTEMPTS("publish.max-attempts", "5",
            "Attempts per event for transient failures (timeouts, no responders), 1 to 100. Safe: the same "
                    + "Nats-Msg-Id is sent each time."),
    PUBLISH_RETRY_BACKOFF("publish.retry-backoff", "250ms",
            "Wait before the second attempt; doubles per attempt, at most 5s."),
    PUBLISH_ASYNC_WINDOW("publish.async-window", "1024",
            "Asynchronous publishes in flight at once (publishAsync, publishAll), 1 to 65536."),

    HEALTH_CONSUMER_STALL_TIMEOUT("health.consumer-stall-timeout", "10m",
            "Liveness is DOWN when the running consumer loop has shown no activity (no fetch returned, no message "
                    + "started or finished, no wait for pushed messages ended) for this long while connected. Longer "
                    + "than consumer.processing-timeout and consumer.fetch-timeout."),
    HEALTH_RELAY_STALL_TIMEOUT("health.relay-stall-timeout", "2m",
            "Liveness is DOWN when outbox rows are pending and the sweeper has not completed a round for this "
                    + "long. Longer than outbox.relay.poll-interval."),
    HEALTH_CHECK_TIMEOUT("health.check-timeout", "2s",
            "Longest wait of one health check for an answer (NATS round trip, stream and consumer info, outbox "
                    + "backlog query)."),

    PAYLOAD_NAMING("payload.naming", "identity",
            "How Java property names become JSON names in payloads, both when publishing and in payloadAs: "
                    + "identity, snake_case, kebab-case, upper-camel-case or upper-camel-case-with-spaces. An application Jsonb bean qualified @BridgeJsonb replaces it."),

    ADMIN_ENABLED("admin.enabled", "false",
            "Serve the JAX-RS admin resources (dead letters; failed outbox rows with bridge-ejb-outbox) under "
                    + "jetstream-bridge/admin to callers in the role jetstream-bridge-admin. Off: they answer 404.");

    /** Prefix of every key in MicroProfile Config. */
    public static final String PREFIX = "jetstream.bridge.";

    private final String name;
    private final String defaultValue;
    private final String description;

    ConfigKey(String name, String defaultValue, String description) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The key without prefix, e.g. {@code consumer.max-deliver}. */
    public String shortName() {
        return name;
    }

    /** The key as written in MicroProfile Config, e.g. {@code jetstream.bridge.consumer.max-deliver}. */
    public String fullName() {
        return PREFIX + name;
    }

    /** The development default as text, or {@code null} when the key has none. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** Whether the value is a credential that must never appear in logs or error messages. */
    public boolean secret() {
        return this == NATS_PASSWORD || this == NATS_TOKEN || this == NATS_NKEY_SEED
                || this == NATS_TLS_TRUSTSTORE_PASSWORD || this == NATS_TLS_KEYSTORE_PASSWORD;
    }

    /** The key with this short or full name. */
    public static java.util.Optional<ConfigKey> byName(String name) {
        String shortName = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
        for (ConfigKey key : values()) {
            if (key.name.equals(shortName)) {
                return java.util.Optional.of(key);
            }
        }
        return java.util.Optional.empty();
    }
}
