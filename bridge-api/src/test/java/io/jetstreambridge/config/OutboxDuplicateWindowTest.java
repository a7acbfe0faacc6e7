package io.jetstreambridge.config;

import static io.jetstreambridge.config.Configs.onlyProblem;
import static io.jetstreambridge.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Duration;

/**
 * With the outbox on, the stream's duplicate window must cover the span over which the relays may publish one row
 * with the same {@code Nats-Msg-Id} (see {@link OutboxSettings#retrySpan}); a shorter window stops start-up.
 */
class OutboxDuplicateWindowTest {

    private static BridgeConfig.Builder outbox() {
        return valid().set(ConfigKey.OUTBOX_ENABLED, "true");
    }

    @Test
    void theDefaultsHoldTheRule() {
        BridgeConfig config = outbox().build();

        assertThat(config.stream().duplicateWindow())
                .isGreaterThan(config.outbox().retrySpan(config.publish().ackTimeout()));
    }

    @Test
    void theRetrySpanAddsEveryAttemptItsWaitAndTheRepublishAfterACrash() {
        OutboxSettings settings = outbox().set(ConfigKey.OUTBOX_MAX_ATTEMPTS, "3")
                .set(ConfigKey.OUTBOX_RETRY_BACKOFF, "1s").set(ConfigKey.OUTBOX_POLL_INTERVAL, "2s")
                .set(ConfigKey.OUTBOX_LEASE, "30s").set(ConfigKey.OUTBOX_GRACE_PERIOD, "10s").build().outbox();

        // 3 attempts of 5 s, waits of 1 s and 2 s each found up to a poll (2 s) late, then lease + poll + grace
        assertThat(settings.retrySpan(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(15 + 3 + 4 + 42));
    }

    @Test
    void aWindowShorterThanTheOutboxRetrySpanStopsStartUpWithKeyValueAndWhatIsAllowed() {
        // 10 attempts doubling from 1 s: about 10 minutes of retries against a 2-minute window
        ConfigProblem problem = onlyProblem(outbox().set(ConfigKey.OUTBOX_MAX_ATTEMPTS, "10"),
                ConfigKey.STREAM_DUPLICATE_WINDOW);

        assertThat(problem.value()).isEqualTo("2m");
        assertThat(problem.allowed()).contains("outbox").contains("outbox.relay.max-attempts")
                .contains("outbox.relay.retry-backoff").contains("publish.ack-timeout")
                .contains("outbox.relay.lease").contains("stored twice");
    }

    @Test
    void aLongerWindowAllowsMoreAttempts() {
        BridgeConfig config = outbox().set(ConfigKey.OUTBOX_MAX_ATTEMPTS, "10")
                .set(ConfigKey.STREAM_DUPLICATE_WINDOW, "15m").build();

        assertThat(config.outbox().maxAttempts()).isEqualTo(10);
    }

    @Test
    void theRuleOnlyAppliesWhenTheOutboxIsOn() {
        assertThat(valid().set(ConfigKey.OUTBOX_MAX_ATTEMPTS, "10").build().outbox().maxAttempts()).isEqualTo(10);
    }

    @Test
    void withoutAutoProvisionTheStreamsOwnWindowIsCheckedOnceConnectedInstead() {
        // the configured window is not applied to the stream then, so it is not what counts
        BridgeConfig config = outbox().set(ConfigKey.AUTO_PROVISION, "false")
                .set(ConfigKey.OUTBOX_MAX_ATTEMPTS, "10").build();

        assertThat(config.outbox().duplicateWindowProblem(Duration.ofMinutes(2), config.publish().ackTimeout()))
                .hasValueSatisfying(why -> assertThat(why).contains("outbox.relay.max-attempts"));
        assertThat(config.outbox().duplicateWindowProblem(Duration.ofMinutes(15), config.publish().ackTimeout()))
                .isEmpty();
    }
}
