package io.jetstreambridge.core.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.core.outbox.JpaOutboxStore;
import io.jetstreambridge.core.outbox.OutboxDialect;
import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.core.outbox.OutboxPublisher;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.Error;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lost-ack case against a real nats-server: a row's first publish is stored but its ack is lost, JetStream then
 * refuses the row for longer than the stream's duplicate window, then accepts again. With settings the start-up
 * rule accepts (the window covers the outbox's retry span) the row has used its attempts inside the window, so no
 * second copy is ever stored. Today's default of 10 attempts kept retrying past the window and stored it twice.
 */
class LostAckDuplicateWindowTest {

    private static final String STREAM = "jetstream-bridge-stream";
    private static final Duration WINDOW = Duration.ofSeconds(6);
    /** JetStream refuses the row for this long after the first publish: longer than the window. */
    private static final Duration REFUSALS = Duration.ofSeconds(12);

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    private final OutboxStore store = new JpaOutboxStore(OutboxDialect.POSTGRESQL);
    private Connection connection;

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("lostack")).entities(OutboxEvent.class)
                .ddlResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql")
                .ddlResource("db/jetstream-bridge/postgresql/V3__jetstream_bridge_outbox_indexes.sql").start();
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (connection != null) {
            connection.close();
        }
    }

    /** Shortened relay timings; the number of attempts is the default, which the rule must bound. */
    private static BridgeConfig config() {
        return BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.CONSUMER_ENABLED, "false")
                .set(ConfigKey.OUTBOX_ENABLED, "true")
                .set(ConfigKey.STREAM_DUPLICATE_WINDOW, WINDOW.toMillis() + "ms")
                .set(ConfigKey.PUBLISH_ACK_TIMEOUT, "300ms")
                .set(ConfigKey.OUTBOX_RETRY_BACKOFF, "100ms")
                .set(ConfigKey.OUTBOX_POLL_INTERVAL, "100ms")
                .set(ConfigKey.OUTBOX_LEASE, "1s")
                .set(ConfigKey.OUTBOX_GRACE_PERIOD, "0s")
                .build();
    }

    /**
     * The real JetStream, except that the first publish is stored but its ack never comes, and every publish in the
     * next {@link #REFUSALS} is refused by a JetStream API error before reaching the server.
     */
    private static JetStream faulty(JetStream real, AtomicReference<Instant> firstPublish, AtomicInteger calls) {
        return (JetStream) Proxy.newProxyInstance(JetStream.class.getClassLoader(), new Class<?>[] {JetStream.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("publishAsync") && args != null && args.length == 2
                            && args[0] instanceof Message message && args[1] instanceof PublishOptions options) {
                        calls.incrementAndGet();
                        if (firstPublish.compareAndSet(null, Instant.now())) {
                            real.publishAsync(message, options).join(); // stored ...
                            return new CompletableFuture<>();           // ... but the ack is lost
                        }
                        if (Instant.now().isBefore(firstPublish.get().plus(REFUSALS))) {
                            return CompletableFuture.failedFuture(new JetStreamApiException(Error.JsBadRequestErr));
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void anAttemptStoredWithItsAckLostThenRefusalsLongerThanTheWindowThenSuccessLeaveOneMessage() throws Exception {
        BridgeConfig config = config();
        assertThat(config.stream().duplicateWindow())
                .isGreaterThan(config.outbox().retrySpan(config.publish().ackTimeout()));
        connection = new NatsConnector(config.nats(), null).connect();
        new StreamProvisioner(connection.jetStreamManagement(), config).provision();
        AtomicReference<Instant> firstPublish = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        OutboxRelay relay = new OutboxRelay(store, jpa::inTransaction,
                faulty(connection.jetStream(), firstPublish, calls), STREAM, config.outbox(),
                config.publish().ackTimeout(), 1024, Clock.systemUTC(), "relay-1", RelayListener.NONE);
        JsonProvider json = JsonProvider.provider();
        new OutboxPublisher(jpa.transactionSynchronizationRegistry(), jpa::inTransaction, jpa::entityManager, store,
                config.topology(), new EnvelopeFactory("orders", Clock.systemUTC()), new EnvelopeCodec(json),
                new PayloadMapper(JsonbBuilder.create(), json), ids -> { }, Clock.systemUTC())
                .publish("order.created", Map.of("id", "A-1"));

        // the sweeper's rounds, until the refusals are over and one more retry would have been due
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            relay.sweep();
            return firstPublish.get() != null
                    && Instant.now().isAfter(firstPublish.get().plus(REFUSALS).plusSeconds(1))
                    && !"pending".equals(status());
        });

        assertThat(calls.get()).as("publishes of the row").isGreaterThan(1);
        // it used its attempts inside the window: an operator decides about it, no late copy was stored
        assertThat(status()).isEqualTo("failed");
        assertThat(connection.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getMsgCount())
                .as("messages in the stream (%s, row %s)", status(), lastError()).isEqualTo(1);
    }

    private static String status() throws Exception {
        return column("status");
    }

    private static String lastError() throws Exception {
        return column("last_error");
    }

    private static String column(String name) throws Exception {
        try (java.sql.Connection c = jpa.database().openConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery(
                     "SELECT " + name + " FROM jetstream_bridge_outbox_events")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
