package io.jetstreambridge.core.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.NatsClusterExtension;
import io.jetstreambridge.testing.NatsServer;
import io.nats.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An R3 stream on a three-node cluster: publishing goes on when the stream's leader dies. */
class ClusterPublishTest {

    private static final String STREAM = "jetstream-bridge-stream";

    @RegisterExtension
    static final NatsClusterExtension CLUSTER = NatsClusterExtension.create();

    @Test
    void publishingToAnR3StreamSurvivesKillingTheLeader() throws Exception {
        BridgeConfig config = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(CLUSTER.urls()).preset(io.jetstreambridge.config.Preset.PRODUCTION)
                .set(ConfigKey.NATS_RECONNECT_WAIT, "100ms").set(ConfigKey.PUBLISH_ACK_TIMEOUT, "2s")
                .set(ConfigKey.PUBLISH_MAX_ATTEMPTS, "10").build();
        assertThat(config.stream().replicas()).isEqualTo(3);
        try (Connection connection = new NatsConnector(config.nats(), null).connect()) {
            new StreamProvisioner(connection.jetStreamManagement(), config).provision();
            JetStreamPublisher publisher = Publishers.create(connection, config);
            List<PublishResult> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(publisher.publish(OutgoingEvent.builder("order.created", Map.of("id", i))
                        .eventId("r3-" + i).build()));
            }

            NatsServer leader = CLUSTER.cluster().streamLeader(STREAM);
            CLUSTER.cluster().kill(CLUSTER.cluster().indexOf(leader));
            for (int i = 20; i < 40; i++) {
                results.add(publisher.publish(OutgoingEvent.builder("order.created", Map.of("id", i))
                        .eventId("r3-" + i).build()));
            }

            assertThat(results).hasSize(40).allMatch(PublishResult::accepted);
            assertThat(connection.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getMsgCount())
                    .isEqualTo(40);
            assertThat(connection.jetStreamManagement().getStreamInfo(STREAM).getConfiguration().getReplicas())
                    .isEqualTo(3);
        }
    }
}
