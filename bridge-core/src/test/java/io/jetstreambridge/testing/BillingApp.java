package io.jetstreambridge.testing;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.nats.client.Connection;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;

import java.time.Clock;
import java.util.concurrent.ForkJoinPool;

/** Billing, the other application in consumer tests: it publishes to orders, the application under test. */
public final class BillingApp {

    private BillingApp() {
    }

    /** Billing publishing to orders, consuming nothing. */
    public static BridgeConfig config(String natsUrls) {
        return BridgeConfig.builder().appName("billing").destinationApp("orders").natsUrls(natsUrls)
                .set(ConfigKey.CONSUMER_ENABLED, "false").build();
    }

    /** Billing's own connection, opened as the bridge opens it. */
    public static Connection connect(String natsUrls) {
        return new NatsConnector(config(natsUrls).nats(), null).connect();
    }

    /** Billing's publisher over the connection given. */
    public static JetStreamPublisher publisher(Connection connection, String natsUrls) {
        BridgeConfig config = config(natsUrls);
        JsonProvider json = JsonProvider.provider();
        return new JetStreamPublisher(connection, config.topology(), config.publish(),
                new EnvelopeFactory(config.appName(), Clock.systemUTC()), new EnvelopeCodec(json),
                new PayloadMapper(JsonbBuilder.create(), json), ForkJoinPool.commonPool());
    }
}
