package io.jetstreambridge.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Subjects and names of the wire contract, for app {@code orders} talking to {@code billing}. */
class TopologyTest {

    private final Topology topology = Topology.of("jetstream-bridge-stream", "orders", "billing");

    @Test
    void publishesOnAppSyncDestination() {
        assertThat(topology.publishSubject()).isEqualTo("orders.sync.billing");
    }

    @Test
    void consumesDestinationSyncApp() {
        assertThat(topology.consumeSubject()).isEqualTo("billing.sync.orders");
    }

    @Test
    void deadLettersToAppSyncDlq() {
        assertThat(topology.dlqSubject()).isEqualTo("orders.sync.dlq");
    }

    @Test
    void durableIsAppWorkers() {
        assertThat(topology.durableName()).isEqualTo("orders-workers");
    }

    @Test
    void twoAppsConsumeWhatTheOtherPublishes() {
        Topology billing = Topology.of("jetstream-bridge-stream", "billing", "orders");

        assertThat(billing.consumeSubject()).isEqualTo(topology.publishSubject());
        assertThat(topology.consumeSubject()).isEqualTo(billing.publishSubject());
        assertThat(billing.durableName()).isNotEqualTo(topology.durableName());
    }

    @Test
    void keepsStreamAndNames() {
        assertThat(topology.stream()).isEqualTo("jetstream-bridge-stream");
        assertThat(topology.appName()).isEqualTo("orders");
        assertThat(topology.destinationApp()).isEqualTo("billing");
        assertThat(topology.dlqEnabled()).isTrue();
    }

    @Nested
    class StreamSubjects {

        @Test
        void arePublishConsumeAndDlqInThatOrder() {
            assertThat(topology.streamSubjects())
                    .containsExactly("orders.sync.billing", "billing.sync.orders", "orders.sync.dlq");
        }

        @Test
        void leaveOutTheDlqWhenItIsOff() {
            Topology noDlq = new Topology("s", "orders", "billing", false, null, null);

            assertThat(noDlq.streamSubjects()).containsExactly("orders.sync.billing", "billing.sync.orders");
        }

        @Test
        void cannotBeModified() {
            assertThatThrownBy(() -> topology.streamSubjects().add("x"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class PushMode {

        @Test
        void deliverSubjectDefaultsToConsumeSubjectDotWorker() {
            assertThat(topology.deliverSubject()).isEqualTo("billing.sync.orders.worker");
        }

        @Test
        void queueGroupDefaultsToTheDurableName() {
            assertThat(topology.queueGroup()).isEqualTo("orders-workers").isEqualTo(topology.durableName());
        }

        @Test
        void emptyValuesMeanTheDefaults() {
            Topology t = new Topology("s", "orders", "billing", true, "", "");

            assertThat(t.deliverSubject()).isEqualTo("billing.sync.orders.worker");
            assertThat(t.queueGroup()).isEqualTo("orders-workers");
        }

        @Test
        void configuredValuesWin() {
            Topology t = new Topology("s", "orders", "billing", true, "_INBOX.orders.push", "order-pool");

            assertThat(t.deliverSubject()).isEqualTo("_INBOX.orders.push");
            assertThat(t.queueGroup()).isEqualTo("order-pool");
            assertThat(t.durableName()).as("durable is not the queue group").isEqualTo("orders-workers");
        }
    }

    @Test
    void requiresStreamAppAndDestination() {
        assertThatThrownBy(() -> Topology.of(null, "a", "b")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Topology.of("s", null, "b")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Topology.of("s", "a", null)).isInstanceOf(NullPointerException.class);
    }
}
