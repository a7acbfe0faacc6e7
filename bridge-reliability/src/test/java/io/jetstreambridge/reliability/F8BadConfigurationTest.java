package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jetstreambridge.outbox.cdi.OutboxMaintenanceService;
import io.jetstreambridge.outbox.cdi.OutboxRuntime;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.testing.NatsServer;
import io.jetstreambridge.testing.cdi.JtaContainer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * F8: bad configuration. Each invalid setting alone stops the start naming key, value and what is allowed; all of
 * them together stop it once with every problem listed; and the publishing application's JVM started with them
 * exits before it commits anything.
 */
class F8BadConfigurationTest {

    /** Key (without the prefix), a bad value, and a word of what the error must say is allowed. */
    private static final List<List<String>> BAD = List.of(
            List.of("app-name", "orders service", "app-name"),
            List.of("nats.connect-timeout", "fast", "duration"),
            List.of("nats.max-reconnects", "-5", "-1"),
            List.of("stream.storage", "disk", "memory"),
            List.of("stream.replicas", "7", "5"),
            List.of("consumer.mode", "poll", "push"),
            List.of("consumer.batch-size", "0", "10000"),
            List.of("consumer.ack-wait", "soon", "duration"),
            List.of("consumer.concurrency", "100", "64"),
            List.of("outbox.ordering", "fifo", "resource"),
            List.of("outbox.relay.batch-size", "20000", "10000"),
            List.of("publish.max-attempts", "0", "1"));

    @Test
    void eachInvalidSettingStopsTheStartAndAllAreListedTogether() throws Exception {
        long started = System.currentTimeMillis();
        NatsServer nats = NatsServer.builder().start();
        List<String> verified = new ArrayList<>();
        try {
            for (List<String> bad : BAD) {
                String key = "jetstream.bridge." + bad.get(0);
                Throwable failure = start(valid(nats.url(), Map.of(key, bad.get(1))));
                assertThat(failure).as("start with %s=%s", key, bad.get(1)).isNotNull();
                assertThat(failure.getMessage())
                        .contains("JetStream Bridge configuration is invalid (1 problem)")
                        .contains(key + " = '" + bad.get(1) + "': ")
                        .containsIgnoringCase(bad.get(2));
                verified.add(key);
            }

            Map<String, String> everything = new LinkedHashMap<>();
            BAD.forEach(bad -> everything.put("jetstream.bridge." + bad.get(0), bad.get(1)));
            Throwable all = start(valid(nats.url(), everything));
            assertThat(all).isNotNull();
            assertThat(all.getMessage()).contains("(" + BAD.size() + " problems)");
            BAD.forEach(bad -> assertThat(all.getMessage()).contains("jetstream.bridge." + bad.get(0) + " = '"
                    + bad.get(1) + "'"));

            try (Pipeline run = Pipeline.builder("f8", nats.url()).start()) {
                AppProcess publisher = run.startPublisher("publisher", "f8", 50, everything);
                int exit = publisher.awaitExit(Duration.ofMinutes(1));
                assertThat(exit).as("exit code of the misconfigured publisher").isNotZero();
                assertThat(publisher.log()).contains("(" + BAD.size() + " problems)");
                assertThat(run.committed()).isZero();
                assertThat(run.unsentOutboxRows()).isZero();
                Pipeline.Tally tally = run.tally(id -> false);
                FaultRow row = tally.row("F8", "bad configuration", "-", BAD.size() + " invalid settings ("
                        + String.join(", ", verified) + "): each alone stopped the start with "
                        + "`key = 'value': allowed`; all together stopped it once listing all " + BAD.size()
                        + " problems; the publisher JVM started with them exited with status " + exit
                        + " and committed nothing.");
                FaultAssertions.recordAndCheck(row, tally, run);
            }
        } finally {
            nats.close();
            ReliabilityReport.duration("F8", System.currentTimeMillis() - started);
        }
    }

    private static Map<String, String> valid(String url, Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>(Map.of(
                "jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", url,
                "jetstream.bridge.consumer.enabled", "false",
                "jetstream.bridge.outbox.enabled", "true"));
        settings.putAll(overrides);
        return settings;
    }

    /** Starts the bridge with the outbox in a container; returns why it failed (null when it started). */
    private static Throwable start(Map<String, String> settings) {
        return catchThrowable(() -> JtaContainer.builder().withBridgeRuntime()
                .beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, BridgeEntityManagers.class)
                .config(settings).start().close());
    }
}
