package io.jetstreambridge.bench;

import io.jetstreambridge.outbox.cdi.OutboxMaintenanceService;
import io.jetstreambridge.outbox.cdi.OutboxRuntime;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.ConsumerRuntime;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The application under test in B3, B4 and the memory run: app {@code bench}, consuming from {@code sink}, started
 * in the tests' JTA container (Weld SE, Narayana, EclipseLink on PostgreSQL) with the bridge's own CDI beans.
 */
final class BenchApp {

    static final String APP = "bench";
    static final String SOURCE = "sink";
    static final String DURABLE = APP + "-workers";
    static final List<String> TABLES = List.of("jetstream_bridge_inbox_events", "jetstream_bridge_outbox_events",
            "bench_orders");

    private BenchApp() {
    }

    static Map<String, String> baseConfig(String natsUrl) {
        Map<String, String> config = new HashMap<>();
        config.put("jetstream.bridge.app-name", APP);
        config.put("jetstream.bridge.destination-app", SOURCE);
        config.put("jetstream.bridge.nats.urls", natsUrl);
        config.put("jetstream.bridge.inbox.enabled", "true");
        config.put("jetstream.bridge.consumer.fetch-timeout", "500ms");
        return config;
    }

    static JtaContainer start(JpaHarness jpa, Map<String, String> config) {
        return JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(ConsumerRuntime.class, OutboxRuntime.class, OutboxMaintenanceService.class,
                        BridgeEntityManagers.class, BenchWriter.class, BenchSink.class)
                .config(config).start();
    }

    /** Forgets what an earlier run left: the durable (so the next one starts at the stream's end), messages, rows. */
    static void reset(Connection connection, JpaHarness jpa, String stream) throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        try {
            jsm.deleteConsumer(stream, DURABLE);
        } catch (Exception ignored) {
            // not there
        }
        try {
            jsm.purgeStream(stream);
        } catch (Exception ignored) {
            // not there yet
        }
        jpa.database().execute("TRUNCATE " + String.join(", ", TABLES));
    }

    /** Waits until the condition holds; false when {@code limit} passed first. */
    static boolean waitFor(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
