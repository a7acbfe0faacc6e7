package io.jetstreambridge.admin;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.connection.NatsConnector;
import io.nats.client.Connection;

/** The connection of one command, opened the way the application opens it (same options, credentials, TLS). */
final class AdminConnection implements AutoCloseable {

    private final Connection connection;

    private AdminConnection(Connection connection) {
        this.connection = connection;
    }

    /** @throws io.jetstreambridge.core.connection.ConnectionFailedException unreachable or refused */
    static AdminConnection open(BridgeConfig config) {
        return new AdminConnection(new NatsConnector(config.nats(), null).connect());
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
