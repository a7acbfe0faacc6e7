package io.jetstreambridge.core.relay;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.TestDatabase;

/** What the relay tests against nats-server and PostgreSQL set up alike: the outbox table and the application. */
final class RelaySetup {

    static final String STREAM = "jetstream-bridge-stream";
    static final String TABLE = "jetstream_bridge_outbox_events";

    private RelaySetup() {
    }

    /** A PostgreSQL database of the test's own with the outbox table of the shipped script. */
    static JpaHarness outboxDatabase(String name) {
        return JpaHarness.builder().database(TestDatabase.postgres(name)).entities(OutboxEvent.class)
                .ddlResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql")
                .ddlResource("db/jetstream-bridge/postgresql/V3__jetstream_bridge_outbox_indexes.sql").start();
    }

    /** Orders publishing to billing, no consumer, rows due at once; the test adds its own settings. */
    static BridgeConfig.Builder orders(NatsServerExtension nats) {
        return BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(nats.url())
                .set(ConfigKey.CONSUMER_ENABLED, "false")
                .set(ConfigKey.OUTBOX_GRACE_PERIOD, "0s");
    }
}
