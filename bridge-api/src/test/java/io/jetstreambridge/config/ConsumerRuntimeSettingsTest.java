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
    void inboxIsSwitchedOnByItsKey() {
        assertThat(valid().set(ConfigKey.INBOX_ENABLED, "true").build().inbox().enabled()).isTrue();
    }
}
