package io.jetstreambridge.cdi;

import io.jetstreambridge.core.deadletter.DeadLetter;
import io.jetstreambridge.core.deadletter.DeadLetterAlreadyReplayedException;
import io.jetstreambridge.core.deadletter.DeadLetterNotFoundException;
import io.jetstreambridge.core.deadletter.DeadLetterOperations;
import io.jetstreambridge.core.deadletter.ReplayResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.AdminSettings;
import io.jetstreambridge.consume.UnrecoverableEventException;
import io.jetstreambridge.cdi.admin.DeadLetterResource;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.core.publish.DirectPublisher;
import io.jetstreambridge.testing.BillingApp;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.cdi.BridgeContainers;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.BridgeTables;
import io.nats.client.Connection;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A poison message end to end in a CDI application on PostgreSQL with the inbox: the observer's bug dead-letters
 * it, the operator inspects it through the injected {@link DeadLetterOperations}, repairs the observer, replays
 * it (once: a second replay is refused), and purges the record.
 */
class DeadLetterReplayCdiTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    @RegisterExtension
    static final BridgeTables TABLES = BridgeTables.postgres("deadletter").inbox();

    private JtaContainer container;
    private Connection billingConnection;
    private DirectPublisher billing;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        billingConnection = BillingApp.connect(NATS.url());
        billing = BillingApp.publisher(billingConnection, NATS.url());
        container = JtaContainer.builder().jpa(TABLES.jpa()).withConsumer()
                .beanClasses(DeadLetterService.class, RepairableObserver.class, DeadLetterResource.class)
                .config(BridgeContainers.consumingWithInbox(NATS.url()))
                .config("jetstream.bridge.admin.enabled", "true").start();
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
        InboxEvent row = TABLES.jpa().inTransaction(em -> em.find(InboxEvent.class, published.eventId()));
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
