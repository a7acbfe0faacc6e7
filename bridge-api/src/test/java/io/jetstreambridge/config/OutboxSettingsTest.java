package io.jetstreambridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Duration;

class OutboxSettingsTest {

    private static BridgeConfig.Builder valid() {
        return BridgeConfig.builder().appName("orders").destinationApp("billing");
    }

    @Test
    void orderingIsNoneOrResource() {
        assertThat(valid().build().outbox().ordering()).isEqualTo(OutboxSettings.Ordering.NONE);
        assertThat(valid().set(ConfigKey.OUTBOX_ORDERING, "RESOURCE").build().outbox().ordering())
                .isEqualTo(OutboxSettings.Ordering.RESOURCE);
        assertThatThrownBy(() -> valid().set(ConfigKey.OUTBOX_ORDERING, "global").build())
                .hasMessageContaining("jetstream.bridge.outbox.ordering = 'global': allowed: none, resource");
    }

    @Test
    void sentRowsAreDeletedUnlessKept() {
        assertThat(valid().build().outbox().sentRows()).isEqualTo(OutboxSettings.SentRows.DELETE);
        assertThat(valid().set(ConfigKey.OUTBOX_SENT_ROWS, "Keep").build().outbox().sentRows())
                .isEqualTo(OutboxSettings.SentRows.KEEP);
        assertThatThrownBy(() -> valid().set(ConfigKey.OUTBOX_SENT_ROWS, "archive").build())
                .hasMessageContaining("jetstream.bridge.outbox.sent-rows = 'archive': allowed: delete, keep");
    }

    @Test
    void retryWaitDoublesUpToFiveMinutes() {
        OutboxSettings outbox = valid().build().outbox();

        assertThat(outbox.retryWait(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(outbox.retryWait(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(outbox.retryWait(30)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void republishSpanIsLeasePollAndGrace() {
        assertThat(valid().build().outbox().republishSpan()).isEqualTo(Duration.ofSeconds(41));
    }

    @Test
    void badRelaySettingsAreAllReported() {
        assertThatThrownBy(() -> valid().set(ConfigKey.OUTBOX_BATCH_SIZE, "0").set(ConfigKey.OUTBOX_LEASE, "0s")
                .set(ConfigKey.RETENTION_INTERVAL, "often").build())
                .hasMessageContaining("jetstream.bridge.outbox.relay.batch-size = '0'")
                .hasMessageContaining("jetstream.bridge.outbox.relay.lease = '0s': must be longer than zero")
                .hasMessageContaining("jetstream.bridge.retention.interval = 'often'");
    }
}
