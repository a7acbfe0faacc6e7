package io.jetstreambridge.testing.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.topology.Peers;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Puts every peer's subjects and durable on the stream before a container with several peers starts: the bridge's
 * own provisioning first (which creates whatever it creates), then each further peer's subjects and durable where
 * they are still missing, the durable configured as the primary peer's, with its own name and filter subject. Once
 * provisioning creates every peer's durable itself, the second step finds nothing to do.
 */
public final class PeerDurables {

    private PeerDurables() {
    }

    /** @param properties the container's configuration ({@code jetstream.bridge.*}) */
    public static BridgeConfig provision(Connection connection, Map<String, String> properties)
            throws IOException, JetStreamApiException {
        BridgeConfig.Builder builder = BridgeConfig.builder();
        properties.forEach(builder::set);
        BridgeConfig config = builder.build();
        JetStreamManagement jsm = connection.jetStreamManagement();
        new StreamProvisioner(jsm, config).provision();
        Peers peers = config.peers();
        StreamConfiguration stream = jsm.getStreamInfo(config.topology().stream()).getConfiguration();
        Set<String> subjects = new LinkedHashSet<>(stream.getSubjects());
        if (subjects.addAll(peers.streamSubjects())) {
            jsm.updateStream(StreamConfiguration.builder(stream).subjects(subjects).build());
        }
        ConsumerConfiguration primary = jsm.getConsumerInfo(peers.primary().stream(),
                peers.primary().durableName()).getConsumerConfiguration();
        for (Topology peer : peers.topologies().subList(1, peers.topologies().size())) {
            if (!jsm.getConsumerNames(peer.stream()).contains(peer.durableName())) {
                ConsumerConfiguration.Builder durable = ConsumerConfiguration.builder()
                        .durable(peer.durableName())
                        .filterSubject(peer.consumeSubject())
                        .ackPolicy(primary.getAckPolicy())
                        .deliverPolicy(primary.getDeliverPolicy())
                        .maxDeliver(primary.getMaxDeliver())
                        .ackWait(primary.getAckWait())
                        .maxAckPending(primary.getMaxAckPending());
                if (!primary.getBackoff().isEmpty()) {
                    durable.backoff(primary.getBackoff().toArray(java.time.Duration[]::new));
                }
                jsm.addOrUpdateConsumer(peer.stream(), durable.build());
            }
        }
        return config;
    }
}
