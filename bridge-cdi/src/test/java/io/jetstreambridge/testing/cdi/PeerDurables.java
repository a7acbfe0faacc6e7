package io.jetstreambridge.testing.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.nats.client.Connection;

import java.io.IOException;
import java.util.Map;

/**
 * Puts every peer's subjects and durable on the stream before a container with several peers starts, as its own
 * start-up would: tests that publish to a peer's subject before the container runs need them there first.
 */
public final class PeerDurables {

    private PeerDurables() {
    }

    /** @param properties the container's configuration ({@code jetstream.bridge.*}) */
    public static BridgeConfig provision(Connection connection, Map<String, String> properties) throws IOException {
        BridgeConfig.Builder builder = BridgeConfig.builder();
        properties.forEach(builder::set);
        BridgeConfig config = builder.build();
        new StreamProvisioner(connection.jetStreamManagement(), config).provision();
        return config;
    }
}
