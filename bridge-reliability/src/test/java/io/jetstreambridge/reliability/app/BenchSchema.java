package io.jetstreambridge.reliability.app;

/** The business tables of both applications, next to the bridge's own DDL. */
public final class BenchSchema {

    /** Outbox and inbox DDL shipped by the bridge, for PostgreSQL. */
    public static final String[] BRIDGE_DDL = {
            "db/jetstream-bridge/postgresql/V1__jetstream_bridge_inbox.sql",
            "db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql",
            "db/jetstream-bridge/postgresql/V3__jetstream_bridge_outbox_indexes.sql"};

    /**
     * {@code bench_orders}: committed business transactions of the publisher; {@code bench_rollbacks}: ids of the
     * ones it rolled back (written after the rollback, outside it); {@code observed}: the consumer's effects.
     */
    public static final String DDL = """
            CREATE TABLE bench_orders (id VARCHAR(64) PRIMARY KEY);
            CREATE TABLE bench_rollbacks (id VARCHAR(64) PRIMARY KEY);
            CREATE TABLE observed (id VARCHAR(36) PRIMARY KEY, order_id VARCHAR(64) NOT NULL,
                event_id VARCHAR(64) NOT NULL, instance VARCHAR(32) NOT NULL);
            CREATE INDEX observed_order ON observed (order_id)
            """;

    private BenchSchema() {
    }
}
