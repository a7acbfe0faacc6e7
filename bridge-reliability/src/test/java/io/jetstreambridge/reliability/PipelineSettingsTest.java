package io.jetstreambridge.reliability;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application JVMs work on the suite's PostgreSQL: the {@code jsb.test.postgres.*} properties that point the
 * tests at another server reach them too, unless a test gives the consumer a database of its own (F5, F11).
 */
class PipelineSettingsTest {

    private static final String HOST = "jsb.test.postgres.host";

    @AfterEach
    void clearProperty() {
        System.clearProperty(HOST);
    }

    @Test
    void theSuitesPostgresSettingsReachBothApplications() {
        // the default host, set explicitly: the suite's own database is still found where it is
        System.setProperty(HOST, "127.0.0.1");
        try (Pipeline pipeline = Pipeline.builder("settings", "nats://127.0.0.1:1").start()) {
            assertThat(pipeline.publisherSettings("p", 1, Map.of())).containsEntry(HOST, "127.0.0.1");
            assertThat(pipeline.consumerSettings("c1", Map.of())).containsEntry(HOST, "127.0.0.1");
        }
    }

    @Test
    void aConsumerDatabaseOfItsOwnKeepsItsOwnSettings() {
        System.setProperty(HOST, "127.0.0.1");
        try (Pipeline pipeline = Pipeline.builder("settings", "nats://127.0.0.1:1")
                .consumerDatabase(() -> null, Map.of("fault.schema", "public", "jsb.test.postgres.port", "5999"))
                .start()) {
            assertThat(pipeline.consumerSettings("c1", Map.of()))
                    .containsEntry("jsb.test.postgres.port", "5999")
                    .doesNotContainKey(HOST);
            assertThat(pipeline.publisherSettings("p", 1, Map.of())).containsEntry(HOST, "127.0.0.1");
        }
    }

    @Test
    void theFaultSuiteKeepsItsShortTimingsAndTheScalingRunGetsTheLibrarysDefaults() {
        try (Pipeline faults = Pipeline.builder("settings", "nats://127.0.0.1:1").start();
             Pipeline scaling = Pipeline.builder("settings", "nats://127.0.0.1:1").libraryTimings().start()) {
            assertThat(faults.consumerSettings("c1", Map.of()))
                    .containsEntry("jetstream.bridge.consumer.backoff", "200ms,500ms,1s,2s")
                    .containsEntry("jetstream.bridge.consumer.batch-size", "50");
            assertThat(faults.publisherSettings("p", 1, Map.of()))
                    .containsEntry("jetstream.bridge.outbox.relay.poll-interval", "500ms");

            assertThat(scaling.consumerSettings("c1", Map.of())).doesNotContainKeys(
                    Pipeline.FAULT_TIMINGS.toArray(String[]::new))
                    .containsEntry("jetstream.bridge.consumer.batch-size", "50");
            assertThat(scaling.publisherSettings("p", 1, Map.of())).doesNotContainKeys(
                    Pipeline.FAULT_TIMINGS.toArray(String[]::new));
            // what a run asks for explicitly still wins
            assertThat(scaling.consumerSettings("c1", Map.of("jetstream.bridge.consumer.backoff", "none")))
                    .containsEntry("jetstream.bridge.consumer.backoff", "none");
        }
    }
}
