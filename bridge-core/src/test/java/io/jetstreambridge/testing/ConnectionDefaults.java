package io.jetstreambridge.testing;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** The jnats options the fixture uses when it connects on a test's behalf. */
final class ConnectionDefaults {

    private ConnectionDefaults() {
    }

    static Options.Builder options(List<String> urls, NatsServer.Credentials credentials) {
        Options.Builder options = new Options.Builder()
                .servers(urls.toArray(String[]::new))
                .connectionName("jsb-test-fixture")
                .connectionTimeout(Duration.ofSeconds(2))
                // tests kill and restart servers while holding connections: reconnect quickly and for ever
                // instead of jnats' default of 60 attempts 2 s apart
                .reconnectWait(Duration.ofMillis(100))
                .maxReconnects(-1);
        if (credentials != null) {
            options.userInfo(credentials.user(), credentials.password());
        }
        return options;
    }

    static Connection connect(Options options) {
        try {
            return Nats.connect(options);
        } catch (IOException e) {
            throw new NatsFixtureException("could not connect to " + options.getServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NatsFixtureException("Interrupted while connecting to " + options.getServers(), e);
        }
    }

    /** Closes a connection the fixture opened for itself. */
    static void close(Connection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NatsFixtureException("Interrupted while closing a NATS connection", e);
        }
    }
}
