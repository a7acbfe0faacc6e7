package io.jetstreambridge.testing;

import io.nats.client.Connection;
import io.nats.client.Options;

/** What {@link AbstractNatsExtension} needs of a {@link NatsServer} or a {@link NatsCluster}. */
interface NatsFixture extends AutoCloseable {

    /** Options that reach the fixture with its credentials and reconnect settings. */
    Options.Builder connectionOptions();

    /** A connection with {@link #connectionOptions()}; the caller closes it. */
    Connection connect();

    /** Restarts, with its data, whatever a test stopped or killed; does nothing if everything runs. */
    void restartStopped();

    /** Stops everything and deletes the fixture's directory. */
    @Override
    void close();
}
