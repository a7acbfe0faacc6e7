package io.jetstreambridge.testing;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;

import java.io.IOException;

/**
 * Deletes every stream of the connection's account, so each test starts from an empty JetStream.
 * Key-value buckets and object stores are streams too ({@code KV_*}, {@code OBJ_*}) and go with them.
 */
final class JetStreamCleaner {

    private JetStreamCleaner() {
    }

    static void deleteAllStreams(Connection connection) {
        try {
            JetStreamManagement jsm = connection.jetStreamManagement();
            for (String stream : jsm.getStreamNames()) {
                jsm.deleteStream(stream);
            }
        } catch (IOException | JetStreamApiException e) {
            throw new NatsFixtureException("could not delete the streams on " + connection.getConnectedUrl(), e);
        }
    }
}
