package io.jetstreambridge.outbox.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.core.relay.OutboxSweeper;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.core.health.HealthContribution;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The outbox's part of liveness, on H2 and a real nats-server: a stopped sweeper with rows waiting is DOWN. */
class OutboxHealthTest {

    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(1);

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    private JtaContainer container;
    private OutboxHealth health;
    private OutboxRuntime runtime;

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.h2("outboxhealth")).entities(OutboxEvent.class)
                .ddlResource("db/jetstream-bridge/h2/V2__jetstream_bridge_outbox.sql").start();
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() {
        NATS.cleanJetStream();
        jpa.database().execute("DELETE FROM jetstream_bridge_outbox_events");
        container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, BridgeEntityManagers.class,
                        OutboxHealth.class)
                .config(Map.of("jetstream.bridge.app-name", "orders",
                        "jetstream.bridge.destination-app", "billing",
                        "jetstream.bridge.nats.urls", NATS.url(),
                        "jetstream.bridge.consumer.enabled", "false",
                        "jetstream.bridge.outbox.enabled", "true",
                        "jetstream.bridge.outbox.relay.poll-interval", "200ms",
                        "jetstream.bridge.publish.ack-timeout", "500ms",
                        "jetstream.bridge.health.relay-stall-timeout", "1s"))
                .start();
        health = container.select(OutboxHealth.class);
        runtime = container.select(OutboxRuntime.class);
    }

    @AfterEach
    void tearDown() {
        container.close();
    }

    private HealthContribution liveness() {
        return health.liveness().orElseThrow();
    }

    @Test
    void downWhenRowsWaitAndTheSweeperHasNotCompletedARoundUpWhenItRunsAgain() {
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.sweeper().flatMap(OutboxSweeper::lastRound)
                .isPresent());
        HealthContribution idle = liveness();
        assertThat(idle.up()).isTrue();
        assertThat(idle.data()).containsEntry("pending", 0L).containsEntry("failed", 0L)
                .containsEntry("sweeper", "STARTED").containsEntry("stall-timeout-ms", 1000L)
                .containsKeys("last-round", "round-age-ms");
        List<Boolean> seen = new ArrayList<>(List.of(idle.up()));
        OutboxSweeper sweeper = runtime.sweeper().orElseThrow();

        sweeper.close();

        // an idle outbox needs no sweeper: nothing waits, so a silent one is no stall
        await().during(STALL_TIMEOUT.multipliedBy(2)).atMost(STALL_TIMEOUT.multipliedBy(4))
                .until(() -> liveness().up());

        // no stream takes this subject, so the after-commit fast path fails and the row stays pending
        container.select(Publisher.class).publish(OutgoingEvent.builder("order.created", Map.of("id", "A-1"))
                .subject("nobody.listens").build());

        await().atMost(Duration.ofSeconds(10)).until(() -> !liveness().up());
        HealthContribution stalled = liveness();
        seen.add(stalled.up());
        assertThat(stalled.reasons()).singleElement().asString()
                .contains("outbox sweeper has not completed a round").contains("while 1 rows are pending");
        assertThat(stalled.data()).containsEntry("pending", 1L).containsKey("oldest-age-ms");
        assertThat((Long) stalled.data().get("round-age-ms")).isGreaterThan(STALL_TIMEOUT.toMillis());

        sweeper.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> liveness().up());
        seen.add(liveness().up());
        assertThat(seen).containsExactly(true, false, true);
        assertThat(liveness().data()).containsEntry("pending", 1L);
    }

    @Test
    void beforeNatsConnectsTheSweeperIsReportedAsNotStartedAndDoesNotFailLiveness() {
        container.close();
        container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, BridgeEntityManagers.class,
                        OutboxHealth.class)
                .config(Map.of("jetstream.bridge.app-name", "orders",
                        "jetstream.bridge.destination-app", "billing",
                        "jetstream.bridge.nats.urls", "nats://127.0.0.1:1",
                        "jetstream.bridge.nats.lazy-connect", "true",
                        "jetstream.bridge.consumer.enabled", "false",
                        "jetstream.bridge.outbox.enabled", "true",
                        "jetstream.bridge.outbox.relay.poll-interval", "200ms",
                        "jetstream.bridge.health.relay-stall-timeout", "1s"))
                .start();
        OutboxHealth notConnected = container.select(OutboxHealth.class);

        HealthContribution liveness = notConnected.liveness().orElseThrow();

        assertThat(liveness.up()).isTrue();
        assertThat(liveness.data()).containsEntry("sweeper", "NOT_STARTED").containsEntry("pending", 0L);
    }
}
