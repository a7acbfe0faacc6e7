package io.jetstreambridge.core.outbox;

import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.api.StreamConfiguration;

/**
 * A second stream, {@code elsewhere}, capturing {@link #SUBJECT}: the relay publishes with the bridge's stream as
 * the expected one, so JetStream refuses such an event (an API error), an attempt that counts toward
 * {@code outbox.relay.max-attempts}. (A subject no stream takes only goes unanswered and is retried uncounted.)
 */
public final class RefusingStream {

    public static final String SUBJECT = "elsewhere.orders";

    private RefusingStream() {
    }

    /** Adds the stream; the same configuration again is no error. */
    public static void add(NatsServerExtension nats) {
        try (Connection connection = nats.connect()) {
            connection.jetStreamManagement().addStream(StreamConfiguration.builder().name("elsewhere")
                    .subjects("elsewhere.>").build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the stream 'elsewhere'", e);
        }
    }
}
