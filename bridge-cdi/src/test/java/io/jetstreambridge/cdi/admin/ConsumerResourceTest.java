package io.jetstreambridge.cdi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.config.AdminSettings;
import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.deadletter.DeadLetter;
import io.jetstreambridge.core.deadletter.DeadLetterQueue;
import io.jetstreambridge.core.publish.DirectPublisher;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.JaxRsServer;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.ServerGivesUp;
import io.nats.client.Connection;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.cdi.PeerDurables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

/**
 * The consumer admin resource over real HTTP on a real nats-server: it shows the messages the server will not
 * deliver again, and moves them to the DLQ on request.
 */
class ConsumerResourceTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static final String PATH = "jetstream-bridge/admin/consumer";

    private BridgeConfig config;
    private Connection connection;
    private JaxRsServer http;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        config = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.CONSUMER_MAX_DELIVER, "1").set(ConfigKey.CONSUMER_BACKOFF, "none").build();
        connection = new NatsConnector(config.nats(), null).connect();
        new StreamProvisioner(connection.jetStreamManagement(), config).provision();
        http = JaxRsServer.start(Map.of("admin", Set.of(AdminSettings.ROLE), "viewer", Set.of("orders-viewer")),
                false, new ConsumerResource(config, () -> Optional.of(connection),
                        new AdminAccess(new AdminSettings(true))));
    }

    @AfterEach
    void tearDown() throws Exception {
        http.close();
        connection.close();
    }

    private PublishResult publishFromBilling() {
        BridgeConfig billing = BridgeConfig.builder().appName("billing").destinationApp("orders")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false").build();
        JsonProvider json = JsonProvider.provider();
        return DirectPublisher.builder().connection(connection).topology(billing.topology())
                .settings(billing.publish()).envelopes(new EnvelopeFactory("billing", Clock.systemUTC()))
                .codec(new EnvelopeCodec(json)).payloads(new PayloadMapper(JsonbBuilder.create(), json))
                .executor(ForkJoinPool.commonPool())
                .build()
                .publish(OutgoingEvent.builder("order.created", Map.of("id", 1)).build());
    }

    private static JsonObject json(HttpResponse<String> response) {
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    @Test
    void showsAndMovesTheMessagesTheServerWillNotDeliverAgain() throws Exception {
        PublishResult published = publishFromBilling();
        ServerGivesUp.nakUntilTheServerGivesUp(connection, config.topology().stream(),
                config.topology().durableName(), config.topology().consumeSubject());

        HttpResponse<String> state = http.call("GET", PATH, "admin");
        assertThat(state.statusCode()).isEqualTo(200);
        assertThat(json(state).getJsonNumber("consumer-undeliverable").longValue()).isEqualTo(1);
        assertThat(json(state).getJsonNumber("consumer-undeliverable-first-sequence").longValue())
                .isEqualTo(published.sequence());
        assertThat(json(state).getString("status")).isEqualTo("UP");
        assertThat(http.call("POST", PATH + "/undeliverable/dead-letter", "viewer").statusCode()).isEqualTo(403);

        HttpResponse<String> moved = http.call("POST", PATH + "/undeliverable/dead-letter", "admin");
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(json(moved).getInt("moved")).isEqualTo(1);

        List<DeadLetter> letters = DeadLetterQueue.of(connection, config.topology()).list(1, 10).entries();
        assertThat(letters).extracting(DeadLetter::eventId).containsExactly(published.eventId());
        assertThat(letters.get(0).reason()).isEqualTo("max_deliver_exceeded");
        assertThat(json(http.call("GET", PATH, "admin")).getJsonNumber("consumer-undeliverable").longValue())
                .isZero();
    }

    @Test
    void movesTheUndeliverableMessagesOfEveryPeersDurable() throws Exception {
        Map<String, String> properties = Map.of("jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-apps", "billing,shipping", "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.consumer.max-deliver", "1", "jetstream.bridge.consumer.backoff", "none");
        BridgeConfig twoPeers = PeerDurables.provision(connection, properties);
        PublishResult published = BillingApp.publisherAs("shipping", connection, NATS.url(), BridgeTelemetry.NONE)
                .publish(OutgoingEvent.builder("order.created", Map.of("id", 2)).build());
        ServerGivesUp.nakUntilTheServerGivesUp(connection, twoPeers.topology().stream(), "orders-workers-shipping",
                "shipping.sync.orders");
        try (JaxRsServer twoPeersHttp = JaxRsServer.start(Map.of("admin", Set.of(AdminSettings.ROLE)), false,
                new ConsumerResource(twoPeers, () -> Optional.of(connection),
                        new AdminAccess(new AdminSettings(true))))) {

            HttpResponse<String> moved = twoPeersHttp.call("POST", PATH + "/undeliverable/dead-letter", "admin");

            assertThat(moved.statusCode()).isEqualTo(200);
            assertThat(json(moved).getInt("moved")).isEqualTo(1);
            assertThat(json(moved).getJsonObject("durables").getInt("orders-workers")).isZero();
            assertThat(json(moved).getJsonObject("durables").getInt("orders-workers-shipping")).isEqualTo(1);
        }
        List<DeadLetter> letters = DeadLetterQueue.of(connection, twoPeers.topology()).list(1, 10).entries();
        assertThat(letters).extracting(DeadLetter::eventId).containsExactly(published.eventId());
        assertThat(letters.get(0).context().originalSubject()).isEqualTo("shipping.sync.orders");
        assertThat(letters.get(0).context().consumer()).as("copied as shipping's durable's")
                .isEqualTo("orders-workers-shipping");
    }
}
