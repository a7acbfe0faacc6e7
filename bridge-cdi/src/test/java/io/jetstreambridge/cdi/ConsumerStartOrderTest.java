package io.jetstreambridge.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.publish.JetStreamPublisher;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The consumer starts only after the application's own {@code @Initialized(ApplicationScoped.class)} observers have
 * returned, so a schema migration run there is complete before the first event is handled, even with events
 * waiting in the stream at start-up.
 */
class ConsumerStartOrderTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private JtaContainer container;
    private Connection billingConnection;
    private JetStreamPublisher billing;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        billingConnection = BillingApp.connect(NATS.url());
        billing = BillingApp.publisher(billingConnection, NATS.url());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (container != null) {
            container.close();
        }
        billingConnection.close();
    }

    @Test
    void eventsWaitingAtStartUpAreHandledOnlyAfterTheApplicationsStartUpObserversReturned() throws Exception {
        Map<String, String> config = Map.of(
                "jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.consumer.fetch-timeout", "200ms");
        BridgeConfig.Builder orders = BridgeConfig.builder();
        config.forEach(orders::set);
        new StreamProvisioner(billingConnection.jetStreamManagement(), orders.build()).provision();
        List<String> waiting = IntStream.range(0, 5).mapToObj(i -> billing.publish(
                OutgoingEvent.builder("invoice.created", Map.of("id", i)).build())).map(PublishResult::eventId)
                .toList();

        container = JtaContainer.builder().withBridgeRuntime()
                .beanClasses(ConsumerRuntime.class, BridgeEntityManagers.class, MigratedSchemaObserver.class,
                        SchemaMigration.class)
                .config(config).start();

        MigratedSchemaObserver observer = container.select(MigratedSchemaObserver.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.migratedWhenHandled().size() == 5);
        assertThat(observer.migratedWhenHandled()).containsOnlyKeys(waiting);
        assertThat(observer.migratedWhenHandled()).as("migration finished when the event was handled")
                .allSatisfy((eventId, migrated) -> assertThat(migrated).as(eventId).isTrue());
    }
}
