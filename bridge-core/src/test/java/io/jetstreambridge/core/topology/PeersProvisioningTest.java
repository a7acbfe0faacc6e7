package io.jetstreambridge.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.core.topology.ProvisioningReport.Action;
import io.jetstreambridge.core.topology.ProvisioningReport.ConsumerOutcome;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * An application with several peers ({@code destination-apps}): the stream gets every peer's subjects, each peer
 * its durable, and the provisioning never re-points or deletes a durable when the list changes.
 */
class PeersProvisioningTest {

    private static final String STREAM = "jetstream-bridge-stream";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private JetStreamManagement jsm;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        jsm = NATS.connect().jetStreamManagement();
    }

    private static BridgeConfig orders(String... peers) {
        return BridgeConfig.builder().appName("orders").destinationApps(peers).natsUrls(NATS.url()).build();
    }

    private ProvisioningReport provision(BridgeConfig config) {
        return new StreamProvisioner(jsm, config).provision();
    }

    private ConsumerConfiguration durable(String name) throws Exception {
        return jsm.getConsumerInfo(STREAM, name).getConsumerConfiguration();
    }

    private List<String> streamSubjects() throws Exception {
        return jsm.getStreamInfo(STREAM).getConfiguration().getSubjects();
    }

    @Test
    void twoPeersGetTheirSubjectsAndADurableEachAndASecondRunChangesNothing() throws Exception {
        ProvisioningReport first = provision(orders("billing", "shipping"));

        assertThat(first.streamAction()).isEqualTo(Action.CREATED);
        assertThat(first.consumers()).extracting(ConsumerOutcome::peer, ConsumerOutcome::durable,
                        ConsumerOutcome::filterSubject, ConsumerOutcome::action)
                .containsExactly(
                        tuple("billing", "orders-workers", "billing.sync.orders",
                                Action.CREATED),
                        tuple("shipping", "orders-workers-shipping",
                                "shipping.sync.orders", Action.CREATED));
        assertThat(streamSubjects()).containsExactly("orders.sync.billing", "billing.sync.orders", "orders.sync.dlq",
                "orders.sync.shipping", "shipping.sync.orders");
        assertThat(durable("orders-workers").getFilterSubject()).isEqualTo("billing.sync.orders");
        assertThat(durable("orders-workers-shipping").getFilterSubject()).isEqualTo("shipping.sync.orders");
        assertThat(durable("orders-workers-shipping").getMaxDeliver())
                .isEqualTo(durable("orders-workers").getMaxDeliver());

        String streamBefore = jsm.getStreamInfo(STREAM).getConfiguration().toJson();
        ProvisioningReport second = provision(orders("billing", "shipping"));

        assertThat(second.changedAnything()).as("%s", second).isFalse();
        assertThat(second.drifted()).as("%s", second).isFalse();
        assertThat(second.consumers()).extracting(ConsumerOutcome::action)
                .containsExactly(Action.UNCHANGED, Action.UNCHANGED);
        assertThat(jsm.getStreamInfo(STREAM).getConfiguration().toJson()).isEqualTo(streamBefore);
        assertThat(jsm.getConsumerNames(STREAM)).containsExactlyInAnyOrder("orders-workers",
                "orders-workers-shipping");
    }

    @Test
    void pushModeGivesEachDurableItsOwnDeliverySubjectAndGroup() throws Exception {
        provision(BridgeConfig.builder().appName("orders").destinationApps("billing", "shipping")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_MODE, "push").build());

        assertThat(durable("orders-workers").getDeliverSubject()).isEqualTo("billing.sync.orders.worker");
        assertThat(durable("orders-workers").getDeliverGroup()).isEqualTo("orders-workers");
        assertThat(durable("orders-workers-shipping").getDeliverSubject()).isEqualTo("shipping.sync.orders.worker");
        assertThat(durable("orders-workers-shipping").getDeliverGroup()).isEqualTo("orders-workers-shipping");
    }

    @Test
    void reorderedPeersAreRefusedAndThePrimaryDurableIsNotRepointed() throws Exception {
        provision(orders("billing", "shipping"));
        List<String> severe = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel() == Level.SEVERE) {
                    severe.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger("io.jetstreambridge");
        log.addHandler(handler);
        try {
            assertThatThrownBy(() -> provision(orders("shipping", "billing")))
                    .isInstanceOf(TopologyException.class);
        } finally {
            log.removeHandler(handler);
        }
        assertThat(severe).singleElement().asString().startsWith("JSB2012: consumer 'orders-workers'")
                .contains("consumes 'billing.sync.orders', not 'shipping.sync.orders'");

        assertThatThrownBy(() -> provision(orders("shipping", "billing")))
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("'orders-workers'")
                .hasMessageContaining("consumes 'billing.sync.orders' (peer 'billing')")
                .hasMessageContaining("configured primary peer 'shipping'")
                .hasMessageContaining("Keep 'billing' first in destination-apps")
                .hasMessageContaining("nats consumer rm " + STREAM + " orders-workers");

        assertThat(durable("orders-workers").getFilterSubject()).isEqualTo("billing.sync.orders");
        assertThat(durable("orders-workers-shipping").getFilterSubject()).isEqualTo("shipping.sync.orders");
        assertThat(jsm.getConsumerNames(STREAM)).as("no durable made for the would-be further peer")
                .containsExactlyInAnyOrder("orders-workers", "orders-workers-shipping");
    }

    @Test
    void aReorderingWithAnAddedPeerChangesNothingOnTheServer() throws Exception {
        provision(orders("billing"));
        List<String> subjectsBefore = streamSubjects();

        assertThatThrownBy(() -> provision(orders("shipping", "billing")))
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("configured primary peer 'shipping'");

        assertThat(streamSubjects()).as("no subject added before the refusal").isEqualTo(subjectsBefore);
        assertThat(jsm.getConsumerNames(STREAM)).containsExactly("orders-workers");
    }

    @Test
    void removingTheFirstPeerIsRefusedLikeAReordering() throws Exception {
        provision(orders("billing", "shipping"));

        assertThatThrownBy(() -> provision(orders("shipping")))
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("consumes 'billing.sync.orders' (peer 'billing')")
                .hasMessageContaining("configured primary peer 'shipping'");

        assertThat(durable("orders-workers").getFilterSubject()).isEqualTo("billing.sync.orders");
    }

    @Test
    void aFurtherPeersDurableWithAnotherSubjectIsRefused() throws Exception {
        provision(orders("billing"));
        jsm.addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder().durable("orders-workers-shipping")
                .filterSubject("orders.sync.dlq").build());

        assertThatThrownBy(() -> provision(orders("billing", "shipping")))
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("'orders-workers-shipping'")
                .hasMessageContaining("consumes 'orders.sync.dlq'")
                .hasMessageContaining("of peer 'shipping' and must consume 'shipping.sync.orders'")
                .hasMessageContaining("nats consumer rm " + STREAM + " orders-workers-shipping");

        assertThat(durable("orders-workers-shipping").getFilterSubject()).isEqualTo("orders.sync.dlq");
    }

    @Test
    void aPeerAddedOnRestartGetsItsSubjectsAndDurableAndThePrimaryStaysAsItWas() throws Exception {
        provision(orders("billing"));
        ConsumerInfo primaryBefore = jsm.getConsumerInfo(STREAM, "orders-workers");

        ProvisioningReport report = provision(orders("billing", "shipping"));

        assertThat(report.streamAction()).isEqualTo(Action.UPDATED);
        assertThat(report.addedSubjects()).containsExactly("orders.sync.shipping", "shipping.sync.orders");
        assertThat(report.consumers()).extracting(ConsumerOutcome::action)
                .containsExactly(Action.UNCHANGED, Action.CREATED);
        assertThat(streamSubjects()).containsExactly("orders.sync.billing", "billing.sync.orders", "orders.sync.dlq",
                "orders.sync.shipping", "shipping.sync.orders");
        ConsumerInfo primaryAfter = jsm.getConsumerInfo(STREAM, "orders-workers");
        assertThat(primaryAfter.getCreationTime()).isEqualTo(primaryBefore.getCreationTime());
        assertThat(primaryAfter.getConsumerConfiguration().toJson())
                .isEqualTo(primaryBefore.getConsumerConfiguration().toJson());
        assertThat(durable("orders-workers-shipping").getFilterSubject()).isEqualTo("shipping.sync.orders");
    }

    @Test
    void aRemovedPeerKeepsItsDurableAndSubjects() throws Exception {
        provision(orders("billing", "shipping"));

        ProvisioningReport report = provision(orders("billing"));

        assertThat(report.changedAnything()).as("%s", report).isFalse();
        assertThat(report.consumers()).extracting(ConsumerOutcome::durable).containsExactly("orders-workers");
        assertThat(streamSubjects()).contains("orders.sync.shipping", "shipping.sync.orders");
        assertThat(jsm.getConsumerNames(STREAM)).containsExactlyInAnyOrder("orders-workers",
                "orders-workers-shipping");
        assertThat(durable("orders-workers-shipping").getFilterSubject()).isEqualTo("shipping.sync.orders");
    }

    @Test
    void withTheConsumerOffEachPeerIsReportedSkipped() throws Exception {
        ProvisioningReport report = provision(BridgeConfig.builder().appName("orders")
                .destinationApps("billing", "shipping").natsUrls(NATS.url())
                .set(ConfigKey.CONSUMER_ENABLED, "false").build());

        assertThat(report.consumers()).extracting(ConsumerOutcome::action)
                .containsExactly(Action.SKIPPED, Action.SKIPPED);
        assertThat(jsm.getConsumerNames(STREAM)).isEmpty();
    }
}
