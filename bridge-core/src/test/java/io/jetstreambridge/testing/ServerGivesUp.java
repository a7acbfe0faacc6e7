package io.jetstreambridge.testing;

import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the server give up on every message of a durable: a raw jnats pull subscription (not the bridge) naks each
 * delivery until the server stops sending it ({@code max_deliver} used up, nothing pending).
 */
public final class ServerGivesUp {

    private ServerGivesUp() {
    }

    /** @return the delivery count of each delivery seen, in order */
    public static List<Long> nakUntilTheServerGivesUp(Connection connection, String stream, String durable,
                                                      String subject) throws Exception {
        JetStreamSubscription raw = connection.jetStream().subscribe(subject, PullSubscribeOptions.bind(stream,
                durable));
        List<Long> deliveries = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (Message message : raw.fetch(10, Duration.ofMillis(200))) {
                deliveries.add(message.metaData().deliveredCount());
                message.nak();
            }
            ConsumerInfo info = connection.jetStreamManagement().getConsumerInfo(stream, durable);
            return !deliveries.isEmpty() && info.getNumAckPending() == 0 && info.getNumPending() == 0;
        });
        raw.unsubscribe();
        return deliveries;
    }
}
