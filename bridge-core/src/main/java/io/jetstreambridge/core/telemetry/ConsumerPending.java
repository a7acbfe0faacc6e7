package io.jetstreambridge.core.telemetry;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerInfo;

import java.io.IOException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The durable consumer's lag, read from consumer info ({@code num_pending}: messages in the stream not yet
 * delivered to it) when metrics are collected. Empty, so no value is reported, when NATS does not answer.
 */
public final class ConsumerPending implements Supplier<OptionalLong> {

    private static final Logger LOG = Logger.getLogger("io.jetstreambridge");

    private final Connection connection;
    private final String stream;
    private final String durable;

    public ConsumerPending(Connection connection, String stream, String durable) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.durable = Objects.requireNonNull(durable, "durable");
    }

    @Override
    public OptionalLong get() {
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            return OptionalLong.empty();
        }
        try {
            ConsumerInfo info = connection.jetStreamManagement().getConsumerInfo(stream, durable);
            return OptionalLong.of(info.getNumPending());
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.log(Level.FINE, "consumer info for the pending gauge failed", e);
            return OptionalLong.empty();
        }
    }
}
