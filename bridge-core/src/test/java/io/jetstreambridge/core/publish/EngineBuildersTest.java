package io.jetstreambridge.core.publish;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.core.outbox.OutboxPublisher;
import io.jetstreambridge.core.relay.FastPath;
import io.jetstreambridge.core.relay.OutboxRelay;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/** Each engine's builder names every missing collaborator at once, before anything is opened. */
class EngineBuildersTest {

    @Test
    void theDirectPublisherNamesAllItLacks() {
        assertThatThrownBy(() -> DirectPublisher.builder().executor(Runnable::run).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("DirectPublisher cannot be built: connection, peers, settings, envelopes, codec, "
                        + "payloads are not set");
    }

    @Test
    void theRelayNamesAllItLacksAndRefusesAnEmptyWindow() {
        assertThatThrownBy(() -> OutboxRelay.builder().stream("ORDERS").ackTimeout(Duration.ofSeconds(1))
                .owner("relay-1").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("OutboxRelay cannot be built: store, transactions, connection or jetStream, settings, "
                        + "window are not set");
    }

    @Test
    void theOutboxPublisherNamesWhatItLacks() {
        assertThatThrownBy(() -> OutboxPublisher.builder().telemetry(null).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("OutboxPublisher cannot be built: registry, ownTransactions, entityManager, store, "
                        + "peers, envelopes, codec, payloads, afterCommit, telemetry are not set");
    }

    @Test
    void theFastPathNamesWhatItLacksAndRefusesEmptyBounds() {
        assertThatThrownBy(() -> FastPath.builder().executor(Runnable::run).maxQueuedChars(0).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("FastPath cannot be built: relay, batchSize, maxQueued, maxQueuedChars, onFailure are not "
                        + "set");
    }
}
