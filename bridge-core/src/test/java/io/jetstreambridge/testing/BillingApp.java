package io.jetstreambridge.testing;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.publish.DirectPublisher;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerInfo;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ForkJoinPool;

/** Billing, the other application in consumer tests: it publishes to orders, the application under test. */
public final class BillingApp {

    /** The stream both applications share (the default {@code stream.name}). */
    public static final String STREAM = "jetstream-bridge-stream";
    /** The durable of orders, the application under test. */
    public static final String ORDERS_DURABLE = "orders-workers";

    private BillingApp() {
    }

    /** Billing publishing to orders, consuming nothing. */
    public static BridgeConfig config(String natsUrls) {
        return configAs("billing", natsUrls);
    }

    /** Another peer of orders ({@code shipping}, say) publishing to it as billing does, consuming nothing. */
    public static BridgeConfig configAs(String app, String natsUrls) {
        return BridgeConfig.builder().appName(app).destinationApp("orders").natsUrls(natsUrls)
                .set(ConfigKey.CONSUMER_ENABLED, "false").build();
    }

    /** Billing's own connection, opened as the bridge opens it. */
    public static Connection connect(String natsUrls) {
        return new NatsConnector(config(natsUrls).nats(), null).connect();
    }

    /** Billing's publisher over the connection given. */
    public static DirectPublisher publisher(Connection connection, String natsUrls) {
        return publisher(connection, natsUrls, BridgeTelemetry.NONE);
    }

    /** Billing's publisher over the connection given, reporting to the telemetry given. */
    public static DirectPublisher publisher(Connection connection, String natsUrls, BridgeTelemetry telemetry) {
        return publisherAs("billing", connection, natsUrls, telemetry);
    }

    /** The publisher of another peer of orders ({@code {app}.sync.orders}), over the connection given. */
    public static DirectPublisher publisherAs(String app, Connection connection, String natsUrls,
                                              BridgeTelemetry telemetry) {
        BridgeConfig config = configAs(app, natsUrls);
        JsonProvider json = JsonProvider.provider();
        return DirectPublisher.builder().connection(connection).topology(config.topology())
                .settings(config.publish()).envelopes(new EnvelopeFactory(config.appName(), Clock.systemUTC()))
                .codec(new EnvelopeCodec(json)).payloads(new PayloadMapper(JsonbBuilder.create(), json))
                .executor(ForkJoinPool.commonPool()).telemetry(telemetry)
                .build();
    }

    /**
     * How many of the messages billing sent to orders orders' durable ({@code orders-workers}) has not finished:
     * not yet delivered plus delivered and not yet acked.
     */
    public static long unfinishedAtOrders(Connection connection) throws IOException, JetStreamApiException {
        ConsumerInfo info = connection.jetStreamManagement().getConsumerInfo(STREAM, ORDERS_DURABLE);
        return info.getNumPending() + info.getNumAckPending();
    }
}
