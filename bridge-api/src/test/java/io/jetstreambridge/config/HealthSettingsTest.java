package io.jetstreambridge.config;

import static io.jetstreambridge.config.Configs.onlyProblem;
import static io.jetstreambridge.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The health thresholds: defaults, and stall timeouts that must outlast the idle wait of the loop they watch. */
class HealthSettingsTest {

    @Test
    void defaults() {
        HealthSettings health = valid().build().health();

        assertThat(health.consumerStallTimeout()).as("longer than the processing timeout (5m)")
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(health.relayStallTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(health.checkTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    /** A message may take up to the processing timeout; liveness must not restart such healthy slow work. */
    @Test
    void anExplicitConsumerStallTimeoutMustBeLongerThanTheProcessingTimeout() {
        ConfigProblem problem = onlyProblem(valid().set(ConfigKey.CONSUMER_PROCESSING_TIMEOUT, "5m")
                .set(ConfigKey.HEALTH_CONSUMER_STALL_TIMEOUT, "2m"), ConfigKey.HEALTH_CONSUMER_STALL_TIMEOUT);

        assertThat(problem.value()).isEqualTo("2m");
        assertThat(problem.allowed()).contains("jetstream.bridge.consumer.processing-timeout (5m)");
    }

    @Test
    void theDefaultConsumerStallTimeoutIsTwiceTheProcessingTimeoutWhenThatIsLongerThan10m() {
        assertThat(valid().set(ConfigKey.CONSUMER_PROCESSING_TIMEOUT, "30s").build().health()
                .consumerStallTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(valid().set(ConfigKey.CONSUMER_PROCESSING_TIMEOUT, "8m").build().health()
                .consumerStallTimeout()).isEqualTo(Duration.ofMinutes(16));
    }

    @Test
    void anExplicitConsumerStallTimeoutMustBeLongerThanTheFetchTimeout() {
        ConfigProblem problem = onlyProblem(valid().set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "30s")
                .set(ConfigKey.CONSUMER_PROCESSING_TIMEOUT, "10s")
                .set(ConfigKey.HEALTH_CONSUMER_STALL_TIMEOUT, "30s"), ConfigKey.HEALTH_CONSUMER_STALL_TIMEOUT);

        assertThat(problem.value()).isEqualTo("30s");
        assertThat(problem.allowed()).contains("jetstream.bridge.consumer.fetch-timeout (30s)");
    }

    @Test
    void withTheConsumerOffTheFetchTimeoutDoesNotMatter() {
        assertThat(valid().set(ConfigKey.CONSUMER_ENABLED, "false").set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "30s")
                .set(ConfigKey.HEALTH_CONSUMER_STALL_TIMEOUT, "10s").build().health().consumerStallTimeout())
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theDefaultGrowsToTwiceALongFetchTimeoutOrPollInterval() {
        HealthSettings health = valid().set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "5m")
                .set(ConfigKey.CONSUMER_PROCESSING_TIMEOUT, "1m")
                .set(ConfigKey.OUTBOX_POLL_INTERVAL, "3m").build().health();

        assertThat(health.consumerStallTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(health.relayStallTimeout()).isEqualTo(Duration.ofMinutes(6));
    }

    @Test
    void anExplicitRelayStallTimeoutMustBeLongerThanThePollIntervalWhenTheOutboxIsOn() {
        ConfigProblem problem = onlyProblem(valid().set(ConfigKey.OUTBOX_ENABLED, "true")
                .set(ConfigKey.HEALTH_RELAY_STALL_TIMEOUT, "1s"), ConfigKey.HEALTH_RELAY_STALL_TIMEOUT);

        assertThat(problem.allowed()).contains("jetstream.bridge.outbox.relay.poll-interval (1s)");
    }

    @Test
    void theCheckTimeoutMustBeLongerThanZero() {
        assertThat(onlyProblem(valid().set(ConfigKey.HEALTH_CHECK_TIMEOUT, "0s"), ConfigKey.HEALTH_CHECK_TIMEOUT)
                .allowed()).isEqualTo("must be longer than zero");
    }
}
