package io.jetstreambridge.testing;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.PeerInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Proves {@link NatsCluster} forms a real JetStream cluster that survives the loss of a stream leader. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatsClusterFixtureTest {

    @RegisterExtension
    static final NatsClusterExtension CLUSTER = NatsClusterExtension.create();

    private static final Duration ELECTION = Duration.ofSeconds(30);

    @Test
    @Order(1)
    void threeNamedNodesOnLoopback() {
        NatsCluster cluster = CLUSTER.cluster();

        assertThat(cluster.size()).isEqualTo(3);
        assertThat(cluster.nodes()).extracting(node -> node.serverName().orElseThrow())
                .containsExactly("n1", "n2", "n3");
        assertThat(CLUSTER.urls().split(","))
                .containsExactly(cluster.node(0).url(), cluster.node(1).url(), cluster.node(2).url());
        assertThat(cluster.nodes()).allMatch(NatsServer::isRunning);
    }

    @Test
    @Order(2)
    void replicatedStreamKeepsAcceptingMessagesWhenItsLeaderIsKilled() throws Exception {
        NatsCluster cluster = CLUSTER.cluster();
        Connection connection = CLUSTER.connect();
        JetStreamManagement jsm = connection.jetStreamManagement();
        JetStream js = connection.jetStream();
        jsm.addStream(StreamConfiguration.builder()
                .name("ORDERS").subjects("orders.>").storageType(StorageType.File).replicas(3).build());
        for (int i = 1; i <= 5; i++) {
            publish(js, i);
        }

        NatsServer leader = cluster.streamLeader("ORDERS");
        int leaderIndex = cluster.indexOf(leader);
        cluster.kill(leaderIndex);
        assertThat(leader.isRunning()).isFalse();

        for (int i = 6; i <= 10; i++) {
            int order = i;
            // until a new leader is elected publishes time out; the message id makes retries idempotent
            await().atMost(ELECTION).pollInterval(Duration.ofMillis(200)).until(() -> tryPublish(js, order));
        }
        assertThat(cluster.streamLeader("ORDERS")).isNotSameAs(leader);
        await().atMost(ELECTION).ignoreExceptions()
                .untilAsserted(() -> assertThat(messageCount(jsm)).isEqualTo(10));

        cluster.restart(leaderIndex);

        assertThat(leader.isRunning()).isTrue();
        await().atMost(ELECTION).ignoreExceptions().untilAsserted(() -> {
            StreamInfo info = jsm.getStreamInfo("ORDERS");
            assertThat(info.getStreamState().getMsgCount()).isEqualTo(10);
            assertThat(info.getClusterInfo().getReplicas()).hasSize(2).allMatch(PeerInfo::isCurrent);
        });
    }

    @Test
    @Order(3)
    void aTestMayKillANode() {
        CLUSTER.cluster().kill(1);

        assertThat(CLUSTER.cluster().node(1).isRunning()).isFalse();
    }

    @Test
    @Order(4)
    void theExtensionRestartsKilledNodesBeforeTheNextTest() throws Exception {
        assertThat(CLUSTER.cluster().nodes()).allMatch(NatsServer::isRunning);

        CLUSTER.cleanJetStream();
        assertThat(CLUSTER.connect().jetStreamManagement().getStreamNames()).isEmpty();
    }

    private static void publish(JetStream js, int order) throws IOException, JetStreamApiException {
        js.publish("orders.created", ("order-" + order).getBytes(StandardCharsets.UTF_8),
                PublishOptions.builder().messageId("order-" + order).build());
    }

    private static boolean tryPublish(JetStream js, int order) {
        try {
            publish(js, order);
            return true;
        } catch (IOException | JetStreamApiException e) {
            return false;
        }
    }

    private static long messageCount(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        return jsm.getStreamInfo("ORDERS").getStreamState().getMsgCount();
    }
}
