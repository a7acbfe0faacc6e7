package io.jetstreambridge.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishException;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.TestDatabase;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The outbox publisher keeps the {@code Publisher} contract: {@code publishAsync} reports a failure in its stage and
 * {@code publishAll} as {@code FAILED} results, never by throwing (only invalid input throws, before anything is
 * written); outside a transaction a list is written all together or not at all. On PostgreSQL, no NATS needed.
 */
class OutboxPublisherContractTest {

    /** Bodies above this many bytes are refused as larger than the server's max_payload. */
    private static final long MAX_PAYLOAD = 400;

    private static JpaHarness jpa;
    private final OutboxStore store = new JpaOutboxStore(OutboxDialect.POSTGRESQL);
    private final List<List<OutboxRecord>> handedOver = new CopyOnWriteArrayList<>();
    private OutboxPublisher publisher;

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("publisher")).entities(OutboxEvent.class)
                .ddlResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql")
                .ddlResource("db/jetstream-bridge/postgresql/V3__jetstream_bridge_outbox_indexes.sql").start();
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() {
        jpa.database().execute("DELETE FROM jetstream_bridge_outbox_events");
        BridgeConfig config = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .set(ConfigKey.CONSUMER_ENABLED, "false").build();
        JsonProvider json = JsonProvider.provider();
        publisher = new OutboxPublisher(jpa.transactionSynchronizationRegistry(), jpa::inTransaction,
                jpa::entityManager, store, config.topology(), new EnvelopeFactory("orders", Clock.systemUTC()),
                new EnvelopeCodec(json), new PayloadMapper(JsonbBuilder.create(), json), handedOver::add,
                () -> MAX_PAYLOAD, Clock.systemUTC(), BridgeTelemetry.NONE);
    }

    private static OutgoingEvent small(int id) {
        return OutgoingEvent.of("order.created", Map.of("id", id));
    }

    private static OutgoingEvent tooLarge() {
        return OutgoingEvent.of("order.created", Map.of("id", 99, "text", "x".repeat(1000)));
    }

    private static OutgoingEvent withId(String eventId, int id) {
        return OutgoingEvent.builder("order.created", Map.of("id", id)).eventId(eventId).build();
    }

    private long rows() {
        return jpa.database().countRows("jetstream_bridge_outbox_events");
    }

    private long rowsWithEventId(String eventId) {
        return jpa.database().queryForLong(
                "SELECT COUNT(*) FROM jetstream_bridge_outbox_events WHERE event_id = ?", eventId);
    }

    @Test
    void publishAsyncReportsARefusalInItsStageInsteadOfThrowing() {
        CompletionStage<PublishResult> stage = publisher.publishAsync(tooLarge());

        assertThatThrownBy(() -> stage.toCompletableFuture().join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(PublishException.class).hasMessageContaining("max_payload");
        assertThat(rows()).isZero();
    }

    @Test
    void publishAllOutsideATransactionReportsARefusedEventAsFailedAndWritesTheOthersTogether() {
        List<PublishResult> results = publisher.publishAll(List.of(small(1), tooLarge(), small(3)));

        assertThat(results).extracting(PublishResult::outcome).containsExactly(PublishResult.Outcome.PENDING,
                PublishResult.Outcome.FAILED, PublishResult.Outcome.PENDING);
        assertThat(results.get(1).failure()).hasMessageContaining("max_payload");
        assertThat(rows()).isEqualTo(2);
        assertThat(rowsWithEventId(results.get(1).eventId())).isZero();
        // the written rows go to the relay together, after their one commit
        assertThat(handedOver).hasSize(1);
        assertThat(handedOver.get(0)).hasSize(2);
    }

    @Test
    void publishAllOutsideATransactionWritesNothingWhenTheWriteFailsAndSaysSoForEveryEvent() {
        String taken = "0b5e0c0e-7f0a-4d6e-9f5c-000000000001";
        publisher.publish(withId(taken, 0));
        handedOver.clear();

        List<PublishResult> results = publisher.publishAll(List.of(small(1), withId(taken, 2), small(3)));

        assertThat(results).extracting(PublishResult::outcome).containsOnly(PublishResult.Outcome.FAILED);
        assertThat(results).allSatisfy(r -> assertThat(r.failure()).hasMessageContaining("nothing was written"));
        assertThat(rows()).isEqualTo(1); // only the earlier event: all or nothing
        assertThat(handedOver).isEmpty();
    }

    @Test
    void publishOutsideATransactionReportsAFailedWriteAsPublishException() {
        String taken = "0b5e0c0e-7f0a-4d6e-9f5c-000000000002";
        publisher.publish(withId(taken, 0));

        assertThatThrownBy(() -> publisher.publish(withId(taken, 1))).isInstanceOf(PublishException.class)
                .hasMessageContaining("nothing was written").hasMessageContaining(taken);
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void publishAllInATransactionMarkedForRollbackReturnsFailedResults() throws Exception {
        jpa.userTransaction().begin();
        try {
            jpa.userTransaction().setRollbackOnly();
            List<PublishResult> results = publisher.publishAll(List.of(small(1), small(2)));

            assertThat(results).extracting(PublishResult::outcome).containsOnly(PublishResult.Outcome.FAILED);
            assertThat(results.get(0).failure()).hasMessageContaining("marked for rollback");
        } finally {
            jpa.userTransaction().rollback();
        }
        assertThat(rows()).isZero();
    }

    @Test
    void publishAllInATransactionReportsARefusedEventAsFailedAndKeepsTheOthers() throws Exception {
        jpa.userTransaction().begin();
        List<PublishResult> results;
        try {
            results = publisher.publishAll(List.of(small(1), tooLarge()));
        } catch (RuntimeException e) {
            jpa.userTransaction().rollback();
            throw e;
        }
        jpa.userTransaction().commit();

        assertThat(results).extracting(PublishResult::outcome).containsExactly(PublishResult.Outcome.PENDING,
                PublishResult.Outcome.FAILED);
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void publishAllWithInvalidInputThrowsBeforeWritingAnything() {
        Object unserialisable = new Object() {
            @SuppressWarnings("unused")
            public Object getSelf() {
                throw new IllegalStateException("cannot be read");
            }
        };

        assertThatThrownBy(() -> publisher.publishAll(List.of(small(1),
                OutgoingEvent.of("order.created", unserialisable)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(rows()).isZero();
        assertThat(handedOver).isEmpty();
    }
}
