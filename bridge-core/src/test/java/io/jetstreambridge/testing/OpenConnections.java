package io.jetstreambridge.testing;

import io.nats.client.Connection;

import java.util.ArrayList;
import java.util.List;

/** Connections an extension handed out; closed before the server goes away, so none outlives its test class. */
final class OpenConnections {

    private final List<Connection> connections = new ArrayList<>();

    synchronized Connection track(Connection connection) {
        connections.add(connection);
        return connection;
    }

    /** Closes all of them, even if some fail; closing a connection the test already closed is harmless. */
    synchronized void closeAll() {
        RuntimeException failure = null;
        for (Connection connection : connections) {
            try {
                ConnectionDefaults.close(connection);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        connections.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
