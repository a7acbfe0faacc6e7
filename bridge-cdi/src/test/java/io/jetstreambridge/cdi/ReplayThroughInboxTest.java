package io.jetstreambridge.cdi;

import io.jetstreambridge.core.deadletter.ReplayResult;
import io.jetstreambridge.core.deadletter.DeadLetter;
import io.jetstreambridge.core.deadletter.DeadLetterOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.ConsumerRuntime;
import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.nats.client.Connection;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A replayed dead letter and the inbox, which knows the event by the body's {@code event_id} (the replay's message
 * id is {@code {event_id}:replay:{n}}): an event whose row says processed is not observed again, one whose row says
 * failed is observed once, and a replay that fails again is dead-lettered again, not lost. Real nats-server, inbox
 * on PostgreSQL.
 */
class ReplayThroughInboxTest {

    private static final String STREAM = "jetstream-bridge-stream";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    private JtaContainer container;
    private Connection billing;
    private RepairableObserver observer;
    private DeadLetterOperations dlq;

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("replayinbox")).entities(InboxEvent.class)
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
        container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(ConsumerRuntime.class, BridgeEntityManagers.class, DeadLetterService.class,
                        RepairableObserver.class)
                .config(Map.of(
                        "jetstream.bridge.app-name", "orders",
                        "jetstream.bridge.destination-app", "billing",
                        "jetstream.bridge.nats.urls", NATS.url(),
                        "jetstream.bridge.inbox.enabled", "true",
                        "jetstream.bridge.consumer.fetch-timeout", "200ms"))
                .start();
        observer = container.select(RepairableObserver.class);
        dlq = container.select(DeadLetterOperations.class);
    }

    @AfterEach
    void tearDown() throws Exception {
        container.close();
        billing.close();
    }

    /** An {@code invoice.created} envelope as billing publishes it, under the given message id. */
    private void publish(String eventId, String messageId) throws Exception {
        String body = "{\"event_id\":\"" + eventId + "\",\"schema_version\":1,\"event_type\":\"invoice.created\","
                + "\"producer\":\"billing\",\"resource_id\":\"INV-7\",\"payload\":{\"id\":\"INV-7\"}}";
        billing.jetStream().publish(NatsMessage.builder().subject("billing.sync.orders")
                .headers(new Headers().add("Nats-Msg-Id", messageId))
                .data(body.getBytes(StandardCharsets.UTF_8)).build());
    }

    private long unfinished() throws Exception {
        var info = billing.jetStreamManagement().getConsumerInfo(STREAM, "orders-workers");
        return info.getNumPending() + info.getNumAckPending();
    }

    private InboxEvent row(String eventId) {
        return jpa.inTransaction(em -> em.find(InboxEvent.class, eventId));
    }

    /** Publishes an event the broken observer dead-letters; returns its DLQ entry. */
    private DeadLetter deadLettered(String eventId) throws Exception {
        publish(eventId, eventId);
        await().atMost(Duration.ofSeconds(10)).until(() -> dlq.count() == 1 && unfinished() == 0);
        return dlq.list(1, 10).entries().get(0);
    }

    @Test
    void aReplayOfAnEventThatFailedReachesTheObserversOnceUnderTheBodysEventId() throws Exception {
        String eventId = UUID.randomUUID().toString();
        DeadLetter letter = deadLettered(eventId);
        assertThat(row(eventId).status()).isEqualTo(InboxEvent.FAILED);

        observer.repair();
        dlq.replay(letter.sequence());

        List<RepairableObserver.Handled> once = List.of(new RepairableObserver.Handled(eventId, eventId, "INV-7"));
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.handled().equals(once) && unfinished() == 0);
        assertThat(row(eventId).processed()).isTrue();
        assertThat(jpa.database().countRows("jetstream_bridge_inbox_events")).isEqualTo(1);
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                .until(() -> observer.handled().equals(once));
    }

    @Test
    void aReplayOfAnEventProcessedMeanwhileDoesNotReachTheObserversAgain() throws Exception {
        String eventId = UUID.randomUUID().toString();
        DeadLetter letter = deadLettered(eventId);
        observer.repair();
        // the operator re-sent the event by hand meanwhile (another message id), and it was processed
        publish(eventId, eventId + "-resent");
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.handled().size() == 1 && unfinished() == 0);
        assertThat(row(eventId).processed()).isTrue();

        dlq.replay(letter.sequence());

        await().atMost(Duration.ofSeconds(10)).until(() -> unfinished() == 0);
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                .until(() -> observer.handled().size() == 1);
        assertThat(observer.handled()).containsExactly(new RepairableObserver.Handled(eventId, eventId, "INV-7"));
        assertThat(dlq.count()).as("only the replay record").isEqualTo(1);
    }

    @Test
    void aReplayThatFailsAgainIsDeadLetteredAgainNotDroppedAsADuplicateOfTheFirstCopy() throws Exception {
        String eventId = UUID.randomUUID().toString();
        DeadLetter letter = deadLettered(eventId);

        ReplayResult replay = dlq.replay(letter.sequence()); // the observer is still broken

        await().atMost(Duration.ofSeconds(10)).until(() -> observer.failed().size() == 2 && unfinished() == 0);
        assertThat(dlq.count()).as("the replay record and the new dead letter").isEqualTo(2);
        DeadLetter again = dlq.list(replay.recordSequence() + 1, 10).entries().get(0);
        assertThat(again.eventId()).isEqualTo(eventId);
        assertThat(again.replay()).isEmpty();
        assertThat(row(eventId).status()).isEqualTo(InboxEvent.FAILED);
        assertThat(row(eventId).attempts()).isEqualTo(2);
    }
}
