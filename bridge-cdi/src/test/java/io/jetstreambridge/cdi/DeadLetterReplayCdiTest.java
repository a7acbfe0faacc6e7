package io.jetstreambridge.cdi;

import io.jetstreambridge.core.deadletter.DeadLetter;
import io.jetstreambridge.core.deadletter.DeadLetterAlreadyReplayedException;
import io.jetstreambridge.core.deadletter.DeadLetterNotFoundException;
import io.jetstreambridge.core.deadletter.DeadLetterOperations;
import io.jetstreambridge.core.deadletter.ReplayResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.config.AdminSettings;
import io.jetstreambridge.consume.UnrecoverableEventException;
import io.jetstreambridge.cdi.admin.DeadLetterResource;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.ConsumerRuntime;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.nats.client.Connection;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * A poison message end to end in a CDI application on PostgreSQL with the inbox: the observer's bug dead-letters
 * it, the operator inspects it through the injected {@link DeadLetterOperations}, repairs the observer, replays
 * it (once: a second replay is refused), and purges the record.
 */
class DeadLetterReplayCdiTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    private JtaContainer container;
    private Connection billingConnection;
    private JetStreamPublisher billing;

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("deadletter")).entities(InboxEvent.class)
                .ddlResource("db/jetstream-bridge/postgresql/V1__jetstream_bridge_inbox.sql").start();
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        jpa.database().execute("DELETE FROM jetstream_bridge_inbox_events");
        BridgeConfig billingConfig = BridgeConfig.builder().appName("billing").destinationApp("orders")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false").build();
        billingConnection = new NatsConnector(billingConfig.nats(), null).connect();
        JsonProvider json = JsonProvider.provider();
        billing = new JetStreamPublisher(billingConnection, billingConfig.topology(), billingConfig.publish(),
                new EnvelopeFactory("billing", Clock.systemUTC()), new EnvelopeCodec(json),
                new PayloadMapper(JsonbBuilder.create(), json), ForkJoinPool.commonPool());
        container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(ConsumerRuntime.class, BridgeEntityManagers.class, DeadLetterService.class,
                        RepairableObserver.class, DeadLetterResource.class)
                .config(Map.of(
                        "jetstream.bridge.app-name", "orders",
                        "jetstream.bridge.destination-app", "billing",
                        "jetstream.bridge.nats.urls", NATS.url(),
                        "jetstream.bridge.inbox.enabled", "true",
                        "jetstream.bridge.admin.enabled", "true",
                        "jetstream.bridge.consumer.fetch-timeout", "200ms"))
                .start();
    }

    @AfterEach
    void tearDown() throws Exception {
        container.close();
        billingConnection.close();
    }

    @Test
    void aPoisonMessageIsInspectedReplayedOnceToTheRepairedObserverAndPurged() {
        RepairableObserver observer = container.select(RepairableObserver.class);
        DeadLetterOperations dlq = container.select(DeadLetterOperations.class);
        PublishResult published = billing.publish(
                OutgoingEvent.builder("invoice.created", Map.of("id", "INV-7", "total", "12.50")).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> dlq.count() == 1);
        assertThat(observer.failed()).containsExactly(published.eventId());
        DeadLetter letter = dlq.list(1, 10).entries().get(0);
        assertThat(letter.eventId()).isEqualTo(published.eventId());
        assertThat(letter.reason()).isEqualTo("unrecoverable");
        assertThat(letter.context().errorClass()).isEqualTo(UnrecoverableEventException.class.getName());
        assertThat(letter.context().errorMessage()).isEqualTo("invoice customer is unknown");
        assertThat(letter.context().originalSubject()).isEqualTo("billing.sync.orders");
        assertThat(letter.bodyText()).contains("\"event_id\":\"" + published.eventId() + "\"")
                .contains("\"payload\":{").contains("\"id\":\"INV-7\"").contains("\"total\":\"12.50\"");
        assertThat(dlq.inspect(letter.sequence())).contains(letter);
        assertThat(listThroughTheAdminResource()).contains("\"count\":1").contains("\"reason\":\"unrecoverable\"");

        observer.repair();
        ReplayResult replay = dlq.replay(letter.sequence());

        String replayId = published.eventId() + ":replay:" + letter.sequence();
        assertThat(replay.messageId()).isEqualTo(replayId);
        // the replay is the same event: known by the body's event id, in observers and the inbox alike
        List<RepairableObserver.Handled> once = List.of(
                new RepairableObserver.Handled(published.eventId(), published.eventId(), "INV-7"));
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.handled().equals(once));
        InboxEvent row = jpa.inTransaction(em -> em.find(InboxEvent.class, published.eventId()));
        assertThat(row.processed()).isTrue();

        assertThatThrownBy(() -> dlq.replay(replay.recordSequence()))
                .isInstanceOf(DeadLetterAlreadyReplayedException.class);
        assertThatThrownBy(() -> dlq.replay(letter.sequence())).isInstanceOf(DeadLetterNotFoundException.class);
        DeadLetter record = dlq.inspect(replay.recordSequence()).orElseThrow();
        assertThat(record.replay().orElseThrow().messageId()).isEqualTo(replayId);
        assertThat(dlq.count()).isEqualTo(1);
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                .until(() -> observer.handled().equals(once));

        assertThat(dlq.purge(replay.recordSequence())).isTrue();
        assertThat(dlq.count()).isZero();
        assertThat(dlq.list(1, 10).entries()).isEmpty();
    }

    /** The resource as the container builds it (configuration, facade), called in a request as an admin. */
    private String listThroughTheAdminResource() {
        RequestContextController request = container.select(RequestContextController.class);
        request.activate();
        try {
            Response response = container.select(DeadLetterResource.class).list(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return () -> "operator";
                }

                @Override
                public boolean isUserInRole(String role) {
                    return role.equals(AdminSettings.ROLE);
                }

                @Override
                public boolean isSecure() {
                    return true;
                }

                @Override
                public String getAuthenticationScheme() {
                    return SecurityContext.BASIC_AUTH;
                }
            }, 1, 10);
            assertThat(response.getStatus()).isEqualTo(200);
            return (String) response.getEntity();
        } finally {
            request.deactivate();
        }
    }
}
