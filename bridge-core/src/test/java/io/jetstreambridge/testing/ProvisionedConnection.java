package io.jetstreambridge.testing;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.nats.client.Connection;

import java.io.IOException;

/** The application's connection in engine tests: opened as the bridge opens it, with its stream provisioned. */
public final class ProvisionedConnection {

    private ProvisionedConnection() {
    }

    public static Connection open(BridgeConfig config) throws IOException {
        Connection connection = new NatsConnector(config.nats(), null).connect();
        new StreamProvisioner(connection.jetStreamManagement(), config).provision();
        return connection;
    }
}
