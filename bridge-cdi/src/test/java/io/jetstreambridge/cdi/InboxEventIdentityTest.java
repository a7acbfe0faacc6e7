package io.jetstreambridge.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.nats.client.Connection;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The inbox knows an event by the body's {@code event_id}, not by the message id it was published under, and a
 * second delivery that loses the race for the inbox row is a duplicate, never a failure. Real nats-server, inbox
 * on PostgreSQL.
 */
class InboxEventIdentityTest {

    private static final String STREAM = "jetstream-bridge-stream";
    private static final String DLQ = "orders.sync.dlq";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    private JtaContainer container;
    private Connection billing;

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("identity")).entities(InboxEvent.class)
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
        billing = BillingApp.connect(NATS.url());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (container != null) {
            container.close();
        }
        billing.close();
    }

    private RacingStockObserver start(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of(
                "jetstream.bridge.app-name", "orders",
                "jetstream.bridge.destination-app", "billing",
                "jetstream.bridge.nats.urls", NATS.url(),
                "jetstream.bridge.inbox.enabled", "true",
                "jetstream.bridge.consumer.fetch-timeout", "200ms"));
        config.putAll(extra);
        container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(ConsumerRuntime.class, BridgeEntityManagers.class, RacingStockObserver.class)
                .config(config).start();
        return container.select(RacingStockObserver.class);
    }

    /** A {@code stock.reserved} envelope as billing publishes it, under the given message id. */
    private void publish(String eventId, String messageId) throws Exception {
        publish(eventId, messageId, "SKU-1");
    }

    private void publish(String eventId, String messageId, String resourceId) throws Exception {
        String body = "{\"event_id\":\"" + eventId + "\",\"schema_version\":1,\"event_type\":\"stock.reserved\","
                + "\"producer\":\"billing\",\"resource_id\":\"" + resourceId + "\","
                + "\"occurred_at\":\"2026-12-06T09:00:00Z\","
                + "\"trace_id\":\"00ff00ff00ff00ff\",\"resource_type\":\"stock\",\"payload\":{\"id\":\"SKU-1\"}}";
        billing.jetStream().publish(NatsMessage.builder().subject("billing.sync.orders")
                .headers(new Headers().add("Nats-Msg-Id", messageId))
                .data(body.getBytes(StandardCharsets.UTF_8)).build());
    }

    private long unfinished() throws Exception {
        var info = billing.jetStreamManagement().getConsumerInfo(STREAM, "orders-workers");
        return info.getNumPending() + info.getNumAckPending();
    }

    private long deadLetters() throws Exception {
        return billing.jetStreamManagement().getStreamInfo(STREAM, StreamInfoOptions.filterSubjects(DLQ))
                .getStreamState().getSubjectMap().getOrDefault(DLQ, 0L);
    }

    @Test
    void anEventPublishedAgainUnderAnotherMessageIdReachesObserversOnceUnderItsBodyEventId() throws Exception {
        RacingStockObserver observer = start(Map.of());
        String eventId = UUID.randomUUID().toString();

        publish(eventId, eventId);
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.calls().size() == 1 && unfinished() == 0);
        publish(eventId, eventId + "-again");
        await().atMost(Duration.ofSeconds(10)).until(() -> unfinished() == 0);

        assertThat(observer.calls()).containsExactly(eventId);
        assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_inbox_events")).isEqualTo(1);
        assertThat(jpa.<InboxEvent>inTransaction(em -> em.find(InboxEvent.class, eventId)).processed()).isTrue();
        assertThat(deadLetters()).isZero();
    }

    @Test
    void twoDeliveriesOfOneEventRacingOnTheLastAllowedDeliveryRunTheObserversOnceAndDeadLetterNothing()
            throws Exception {
        // every delivery is the last allowed one: any failure would dead-letter at once
        RacingStockObserver observer = start(Map.of("jetstream.bridge.consumer.max-deliver", "1",
                "jetstream.bridge.consumer.backoff", "none", "jetstream.bridge.consumer.concurrency", "2",
                "jetstream.bridge.consumer.batch-size", "1"));
        observer.holdFirstCall();
        String eventId = UUID.randomUUID().toString();

        publish(eventId, eventId);
        await().atMost(Duration.ofSeconds(10)).until(observer::firstCallWaiting);
        publish(eventId, eventId + "-again"); // the second worker takes it while the first still runs
        await().atMost(Duration.ofSeconds(10)).until(this::anInboxInsertWaitsForTheFirst);
        observer.releaseFirstCall();

        await().atMost(Duration.ofSeconds(15)).until(() -> unfinished() == 0);
        assertThat(observer.calls()).containsExactly(eventId);
        assertThat(deadLetters()).isZero();
        assertThat(jpa.<InboxEvent>inTransaction(em -> em.find(InboxEvent.class, eventId)).processed()).isTrue();
    }

    @Test
    void anEventWhoseResourceIdDoesNotFitTheInboxIsDeadLetteredAsUnrecoverableAtItsFirstDelivery() throws Exception {
        RacingStockObserver observer = start(Map.of());
        String eventId = UUID.randomUUID().toString();

        publish(eventId, eventId, "SKU-" + "9".repeat(300));

        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters() == 1 && unfinished() == 0);
        var letter = billing.jetStreamManagement().getLastMessage(STREAM, DLQ).getHeaders();
        assertThat(letter.getFirst("x-dlq-reason")).isEqualTo("unrecoverable");
        assertThat(letter.getFirst("x-deliveries")).isEqualTo("1");
        assertThat(letter.getFirst("x-dlq-context")).contains("resource_id").contains("255");
        assertThat(observer.calls()).isEmpty();
        assertThat(jpa.database().countRows("jetstream_bridge_inbox_events")).isZero();
    }

    /** The second delivery's insert of the inbox row waits on the first's uncommitted row (in this schema). */
    private boolean anInboxInsertWaitsForTheFirst() {
        return jpa.database().queryForLong("SELECT COUNT(*) FROM pg_stat_activity a WHERE a.wait_event_type = 'Lock' "
                + "AND a.query LIKE 'INSERT INTO jetstream_bridge_inbox_events%' AND EXISTS (SELECT 1 FROM pg_locks l "
                + "JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE l.pid = a.pid AND n.nspname = ? AND c.relname = 'jetstream_bridge_inbox_events')",
                jpa.database().schema()) > 0;
    }
}
