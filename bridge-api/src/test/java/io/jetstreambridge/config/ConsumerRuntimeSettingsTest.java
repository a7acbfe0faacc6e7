package io.jetstreambridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

class ConsumerRuntimeSettingsTest {

    private static BridgeConfig.Builder valid() {
        return BridgeConfig.builder().appName("orders").destinationApp("billing");
    }

    @Test
    void unrecoverableExceptionsAreReadAsClassNames() {
        BridgeConfig config = valid().set(ConfigKey.CONSUMER_UNRECOVERABLE_EXCEPTIONS,
                "com.acme.InvalidOrderException, java.lang.IllegalArgumentException").build();

        assertThat(config.consumer().unrecoverableExceptions())
                .isEqualTo(List.of("com.acme.InvalidOrderException", "java.lang.IllegalArgumentException"));
    }

    @Test
    void somethingThatIsNotAClassNameIsRejected() {
        assertThatThrownBy(() -> valid().set(ConfigKey.CONSUMER_UNRECOVERABLE_EXCEPTIONS,
                "com.acme.Good, not a class").build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("jetstream.bridge.consumer.unrecoverable-exceptions = 'com.acme.Good, not a "
                        + "class': 'not a class' is not a class name");
    }

    @Test
    void processingAndDrainTimeoutsMustBePositiveDurations() {
        assertThatThrownBy(() -> valid().set(ConfigKey.CONSUMER_PROCESSING_TIMEOUT, "0s")
                .set(ConfigKey.CONSUMER_DRAIN_TIMEOUT, "later").build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("jetstream.bridge.consumer.processing-timeout = '0s': must be longer than zero")
                .hasMessageContaining("jetstream.bridge.consumer.drain-timeout = 'later'");
        assertThat(valid().set(ConfigKey.CONSUMER_PROCESSING_TIMEOUT, "90s").build().consumer().processingTimeout())
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void pushModeBoundsMaxAckPendingByItsWorkersUnlessConfigured() {
        assertThat(valid().set(ConfigKey.CONSUMER_MODE, "push").set(ConfigKey.CONSUMER_CONCURRENCY, "3").build()
                .consumer().maxAckPending()).isEqualTo(12);
        assertThat(valid().set(ConfigKey.CONSUMER_MODE, "push").set(ConfigKey.CONSUMER_MAX_ACK_PENDING, "50")
                .build().consumer().maxAckPending()).isEqualTo(50);
        assertThat(valid().build().consumer().maxAckPending()).as("pull: the server's default").isZero();
        assertThat(valid().set(ConfigKey.CONSUMER_MAX_ACK_PENDING, "200").build().consumer().maxAckPending())
                .isEqualTo(200);
    }

    @Test
    void maxAckPendingBelowTheWorkersOrNotANumberIsRejected() {
        assertThatThrownBy(() -> valid().set(ConfigKey.CONSUMER_CONCURRENCY, "8")
                .set(ConfigKey.CONSUMER_MAX_ACK_PENDING, "4").build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("jetstream.bridge.consumer.max-ack-pending = '4': must be at least "
                        + "jetstream.bridge.consumer.concurrency (8)");
        assertThatThrownBy(() -> valid().set(ConfigKey.CONSUMER_MAX_ACK_PENDING, "many").build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("jetstream.bridge.consumer.max-ack-pending = 'many': a whole number from 1");
    }

    @Test
    void driftIsUpdatedByDefaultOrOnlyReported() {
        assertThat(valid().build().consumer().drift()).isEqualTo(ConsumerSettings.Drift.UPDATE);
        assertThat(valid().set(ConfigKey.CONSUMER_DRIFT, "Report").build().consumer().drift())
                .isEqualTo(ConsumerSettings.Drift.REPORT);
        assertThatThrownBy(() -> valid().set(ConfigKey.CONSUMER_DRIFT, "fix").build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("jetstream.bridge.consumer.drift = 'fix': allowed: update, report");
    }

    @Test
    void inboxIsSwitchedOnByItsKey() {
        assertThat(valid().set(ConfigKey.INBOX_ENABLED, "true").build().inbox().enabled()).isTrue();
    }

    @Test
    void unobservedEventsAreAckedByDefaultOrDeadLettered() {
        assertThat(valid().build().consumer().unobservedEvents()).isEqualTo(ConsumerSettings.UnobservedEvents.ACK);
        assertThat(valid().set(ConfigKey.CONSUMER_UNOBSERVED_EVENTS, "dead-letter").build().consumer()
                .unobservedEvents()).isEqualTo(ConsumerSettings.UnobservedEvents.DEAD_LETTER);
        assertThatThrownBy(() -> valid().set(ConfigKey.CONSUMER_UNOBSERVED_EVENTS, "drop").build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("jetstream.bridge.consumer.unobserved-events = 'drop': allowed: ack, dead-letter");
    }

    @Test
    void theMaxDeliveriesWatchFollowsAutoProvisionUnlessSet() {
        assertThat(valid().build().consumer().maxDeliveriesWatch()).isTrue();
        assertThat(valid().set(ConfigKey.AUTO_PROVISION, "false").build().consumer().maxDeliveriesWatch()).isFalse();
        assertThat(valid().set(ConfigKey.AUTO_PROVISION, "false").set(ConfigKey.CONSUMER_MAX_DELIVERIES_WATCH, "true")
                .build().consumer().maxDeliveriesWatch()).isTrue();
        assertThat(valid().set(ConfigKey.CONSUMER_MAX_DELIVERIES_WATCH, "false").build().consumer()
                .maxDeliveriesWatch()).isFalse();
        assertThatThrownBy(() -> valid().set(ConfigKey.CONSUMER_MAX_DELIVERIES_WATCH, "maybe").build())
                .hasMessageContaining("jetstream.bridge.consumer.max-deliveries-watch = 'maybe': allowed: true or "
                        + "false");
    }
}
