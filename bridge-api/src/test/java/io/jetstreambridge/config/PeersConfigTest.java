package io.jetstreambridge.config;

import static io.jetstreambridge.config.Configs.invalid;
import static io.jetstreambridge.config.Configs.onlyProblem;
import static io.jetstreambridge.config.Configs.problemFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.topology.Topology;
import org.junit.jupiter.api.Test;

import java.util.List;

/** {@code destination-apps}: several peers, each with its subjects and durable, validated like the rest. */
class PeersConfigTest {

    private static BridgeConfig.Builder orders() {
        return BridgeConfig.builder().appName("orders");
    }

    @Test
    void severalPeersGetOneTopologyEachAndTheFirstKeepsTheGemsDurable() {
        BridgeConfig config = orders().destinationApps("billing", "shipping").build();

        assertThat(config.destinationApps()).containsExactly("billing", "shipping");
        assertThat(config.peers().topologies()).extracting(Topology::consumeSubject, Topology::publishSubject,
                        Topology::durableName, Topology::queueGroup, Topology::deliverSubject)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("billing.sync.orders", "orders.sync.billing",
                                "orders-workers", "orders-workers", "billing.sync.orders.worker"),
                        org.assertj.core.groups.Tuple.tuple("shipping.sync.orders", "orders.sync.shipping",
                                "orders-workers-shipping", "orders-workers-shipping",
                                "shipping.sync.orders.worker"));
        assertThat(config.topology()).isEqualTo(config.peers().primary());
        assertThat(config.destinationApp()).isEqualTo("billing");
        assertThat(config.peers().streamSubjects()).containsExactly("orders.sync.billing", "billing.sync.orders",
                "orders.sync.dlq", "orders.sync.shipping", "shipping.sync.orders");
    }

    @Test
    void onePeerInTheListIsTheSameAsDestinationApp() {
        assertThat(orders().destinationApps("billing").build().peers())
                .isEqualTo(orders().destinationApp("billing").build().peers());
        assertThat(orders().set(ConfigKey.DESTINATION_APPS, " billing , shipping ").build().destinationApps())
                .as("whitespace around entries").containsExactly("billing", "shipping");
    }

    @Test
    void anExplicitQueueGroupServesEveryPeer() {
        BridgeConfig config = orders().destinationApps("billing", "shipping")
                .set(ConfigKey.CONSUMER_QUEUE_GROUP, "pool").build();
        assertThat(config.peers().topologies()).extracting(Topology::queueGroup).containsExactly("pool", "pool");
    }

    @Test
    void bothKeysAreOneProblem() {
        ConfigProblem problem = onlyProblem(orders().destinationApp("billing").destinationApps("billing", "x"),
                ConfigKey.DESTINATION_APPS);
        assertThat(problem.allowed()).contains("not both").contains("'billing'");
    }

    @Test
    void neitherKeyIsAProblemOfDestinationApp() {
        ConfigProblem problem = onlyProblem(orders(), ConfigKey.DESTINATION_APP);
        assertThat(problem.allowed()).startsWith("is required");
    }

    @Test
    void everyBadEntryIsReportedAtOnce() {
        InvalidConfigurationException e = invalid(orders()
                .set(ConfigKey.DESTINATION_APPS, "billing,,dlq,orders,billing,a.b")
                .set(ConfigKey.CONSUMER_MAX_DELIVER, "0"));
        List<String> allowed = e.problems().stream()
                .filter(p -> p.key().equals(ConfigKey.DESTINATION_APPS.fullName()))
                .map(ConfigProblem::allowed).toList();
        assertThat(allowed).hasSize(5);
        assertThat(allowed.get(0)).contains("empty entry");
        assertThat(allowed.get(1)).contains("'dlq'").contains("reserved");
        assertThat(allowed.get(2)).contains("'orders'").contains("consume its own events");
        assertThat(allowed.get(3)).contains("'billing' is listed twice");
        assertThat(allowed.get(4)).contains("'a.b'");
        problemFor(e, ConfigKey.CONSUMER_MAX_DELIVER);
    }

    @Test
    void aFurtherPeersDurableMustFitTheServersNameLength() {
        String longPeer = "p".repeat(241); // orders-workers- is 15 characters
        ConfigProblem problem = onlyProblem(orders().destinationApps("billing", longPeer), ConfigKey.DESTINATION_APPS);
        assertThat(problem.allowed()).contains("{app}-workers-{peer}").contains("255");
        assertThat(orders().destinationApps(longPeer, "billing").build().topology().durableName())
                .as("the primary peer's durable is {app}-workers whatever its name").isEqualTo("orders-workers");
    }

    @Test
    void anExplicitDeliverySubjectServesOnePeerOnly() {
        ConfigProblem problem = onlyProblem(orders().destinationApps("billing", "shipping")
                .set(ConfigKey.CONSUMER_DELIVER_SUBJECT, "orders.deliver"), ConfigKey.CONSUMER_DELIVER_SUBJECT);
        assertThat(problem.allowed()).contains("one peer");
    }
}
