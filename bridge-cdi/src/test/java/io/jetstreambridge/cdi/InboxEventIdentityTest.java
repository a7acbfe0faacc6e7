package io.jetstreambridge.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.cdi.BridgeContainers;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.BridgeTables;
import io.nats.client.Connection;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

    @RegisterExtension
    static final BridgeTables TABLES = BridgeTables.postgres("identity").inbox();

    private JtaContainer container;
    private Connection billing;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
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
        container = JtaContainer.builder().jpa(TABLES.jpa()).withConsumer().beanClasses(RacingStockObserver.class)
                .config(BridgeContainers.consumingWithInbox(NATS.url())).config(extra).start();
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
        return BillingApp.unfinishedAtOrders(billing);
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
        assertThat(TABLES.database().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_inbox_events")).isEqualTo(1);
        assertThat(row(eventId).processed()).isTrue();
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
        assertThat(row(eventId).processed()).isTrue();
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
        assertThat(TABLES.database().countRows("jetstream_bridge_inbox_events")).isZero();
    }

    private InboxEvent row(String eventId) {
        return TABLES.jpa().inTransaction(em -> em.find(InboxEvent.class, eventId));
    }

    /** The second delivery's insert of the inbox row waits on the first's uncommitted row (in this schema). */
    private boolean anInboxInsertWaitsForTheFirst() {
        return TABLES.database().queryForLong("SELECT COUNT(*) FROM pg_stat_activity a "
                + "WHERE a.wait_event_type = 'Lock' "
                + "AND a.query LIKE 'INSERT INTO jetstream_bridge_inbox_events%' AND EXISTS (SELECT 1 FROM pg_locks l "
                + "JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE l.pid = a.pid AND n.nspname = ? AND c.relname = 'jetstream_bridge_inbox_events')",
                TABLES.database().schema()) > 0;
    }
}
