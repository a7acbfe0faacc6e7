package io.jetstreambridge.core.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.OutboxSettings.SentRows;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.outbox.JpaOutboxStore;
import io.jetstreambridge.core.outbox.OutboxDialect;
import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.core.outbox.OutboxPublisher;
import io.jetstreambridge.core.outbox.OutboxRecord;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.jta.TestDatabase;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fan-out through the outbox, for an application with two peers (billing, shipping): one row per destination in
 * the caller's transaction, each sent to its own subject under its own message id. PostgreSQL and a real nats-server.
 */
class FanOutRelayTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static JpaHarness jpa;
    /** Keeps sent rows: the tests read what was relayed from the rows, and put one back as a lost ack would. */
    private final OutboxStore store = new JpaOutboxStore(OutboxDialect.POSTGRESQL, SentRows.KEEP);
    private final List<OutboxRecord> committed = new CopyOnWriteArrayList<>();
    private Connection connection;
    private JetStreamManagement jsm;
    private OutboxPublisher publisher;
    private OutboxRelay relay;

    @BeforeAll
    static void database() {
        jpa = JpaHarness.builder().database(TestDatabase.postgres("fanout")).entities(OutboxEvent.class)
                .ddlResource("db/jetstream-bridge/postgresql/V2__jetstream_bridge_outbox.sql")
                .ddlResource("db/jetstream-bridge/postgresql/V3__jetstream_bridge_outbox_indexes.sql")
                // outbox.ordering=resource reads the optional resource index (schema.md)
                .ddlResource("db/jetstream-bridge-optional/postgresql/jetstream_bridge_outbox_resource_index.sql")
                .start();
    }

    @AfterAll
    static void closeDatabase() {
        jpa.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        setUp("none");
    }

    private void setUp(String ordering) throws Exception {
        if (connection != null) {
            connection.close();
        }
        NATS.cleanJetStream();
        jpa.database().execute("DELETE FROM " + RelaySetup.TABLE);
        BridgeConfig config = RelaySetup.orders(NATS).set("jetstream.bridge.destination-app", null)
                .destinationApps("billing", "shipping").set("jetstream.bridge.outbox.ordering", ordering).build();
        connection = new NatsConnector(config.nats(), null).connect();
        jsm = connection.jetStreamManagement();
        new StreamProvisioner(jsm, config).provision();
        JsonProvider json = JsonProvider.provider();
        publisher = OutboxPublisher.builder().registry(jpa.transactionSynchronizationRegistry())
                .ownTransactions(jpa::inTransaction).entityManager(jpa::entityManager).store(store)
                .peers(config.peers()).envelopes(new EnvelopeFactory("orders", Clock.systemUTC()))
                .codec(new EnvelopeCodec(json)).payloads(new PayloadMapper(JsonbBuilder.create(), json))
                .afterCommit(committed::addAll).build();
        relay = OutboxRelay.builder().store(store).transactions(jpa::inTransaction)
                .jetStream(connection.jetStream(), () -> true).stream(RelaySetup.STREAM).settings(config.outbox())
                .ackTimeout(Duration.ofSeconds(2)).window(64).owner("relay-fanout").build();
    }

    @AfterEach
    void tearDown() throws Exception {
        connection.close();
    }

    private static OutgoingEvent order(String eventId) {
        return OutgoingEvent.builder("order.created", Map.of("id", 9)).eventId(eventId).build();
    }

    private List<PublishResult> fanOutCommitted(OutgoingEvent event) throws Exception {
        jpa.userTransaction().begin();
        List<PublishResult> results = publisher.fanOut(event, "billing", "shipping");
        jpa.userTransaction().commit();
        return results;
    }

    private long stored() throws Exception {
        return jsm.getStreamInfo(RelaySetup.STREAM).getStreamState().getMsgCount();
    }

    private long rows(String status) {
        return jpa.database().queryForLong("SELECT COUNT(*) FROM " + RelaySetup.TABLE + " WHERE status = ?", status);
    }

    /** The stream's messages, oldest first. */
    private List<MessageInfo> messages() throws Exception {
        List<MessageInfo> all = new ArrayList<>();
        for (long seq = 1; seq <= jsm.getStreamInfo(RelaySetup.STREAM).getStreamState().getLastSequence(); seq++) {
            all.add(jsm.getMessage(RelaySetup.STREAM, seq));
        }
        return all;
    }

    @Test
    void fanOutInATransactionWritesOneRowPerPeerAndTheCommitSendsEachToItsSubject() throws Exception {
        List<PublishResult> results = fanOutCommitted(order("evt-1"));

        assertThat(results).extracting(PublishResult::outcome)
                .containsOnly(PublishResult.Outcome.PENDING);
        assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM " + RelaySetup.TABLE
                + " WHERE event_id = 'evt-1:billing' AND subject = 'orders.sync.billing'")).isEqualTo(1);
        assertThat(jpa.database().queryForLong("SELECT COUNT(*) FROM " + RelaySetup.TABLE
                + " WHERE event_id = 'evt-1:shipping' AND subject = 'orders.sync.shipping'")).isEqualTo(1);
        assertThat(committed).hasSize(2);

        assertThat(relay.relayCommitted(committed)).isEqualTo(2);

        assertThat(messages()).extracting(MessageInfo::getSubject)
                .containsExactly("orders.sync.billing", "orders.sync.shipping");
        assertThat(messages()).extracting(m -> m.getHeaders().getFirst("Nats-Msg-Id"))
                .containsExactly("evt-1:billing", "evt-1:shipping");
        assertThat(rows("sent")).isEqualTo(2);
    }

    @Test
    void fanOutOutsideATransactionWritesTheCopiesTogetherInOneOfItsOwn() throws Exception {
        List<PublishResult> results = publisher.fanOut(order("evt-10"), "billing", "shipping");

        assertThat(results).extracting(PublishResult::outcome).containsOnly(PublishResult.Outcome.PENDING);
        assertThat(jpa.database().countRows(RelaySetup.TABLE)).isEqualTo(2);
        assertThat(committed).extracting(OutboxRecord::eventId).containsExactly("evt-10:billing", "evt-10:shipping");
        assertThat(relay.relayCommitted(committed)).isEqualTo(2);
        assertThat(messages()).extracting(MessageInfo::getSubject)
                .containsExactly("orders.sync.billing", "orders.sync.shipping");
    }

    @Test
    void aRolledBackFanOutLeavesNoRowAndSendsNothing() throws Exception {
        jpa.userTransaction().begin();
        publisher.fanOut(order("evt-2"), "billing", "shipping");
        jpa.userTransaction().rollback();

        assertThat(committed).isEmpty();
        assertThat(jpa.database().countRows(RelaySetup.TABLE)).isZero();
        assertThat(relay.sweep()).isZero();
        assertThat(stored()).isZero();
    }

    @Test
    void aResentCopyIsDroppedAsADuplicateWhileTheOtherPeersCopyStillArrives() throws Exception {
        fanOutCommitted(order("evt-3"));
        OutboxRecord billing = committed.stream().filter(r -> r.subject().equals("orders.sync.billing"))
                .findFirst().orElseThrow();
        assertThat(relay.relayCommitted(List.of(billing))).isEqualTo(1);
        // the ack of the billing copy was lost: its row is pending again, and the relay sends it a second time
        jpa.database().execute("UPDATE " + RelaySetup.TABLE + " SET status = 'pending', sent_at = NULL, "
                + "stream_seq = NULL WHERE event_id = 'evt-3:billing'");

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            relay.sweep();
            return rows("sent") == 2;
        });

        assertThat(messages()).extracting(MessageInfo::getSubject)
                .containsExactly("orders.sync.billing", "orders.sync.shipping");
        assertThat(messages()).extracting(m -> m.getHeaders().getFirst("Nats-Msg-Id"))
                .containsExactly("evt-3:billing", "evt-3:shipping");
    }

    @Test
    void anEventNamingNoPeerAmongSeveralIsRefusedAndNothingOfTheCallIsWritten() throws Exception {
        OutgoingEvent nowhere = OutgoingEvent.of("order.created", Map.of("id", 4));
        OutgoingEvent toBilling = OutgoingEvent.builder("order.created", Map.of("id", 5)).destination("billing")
                .build();

        assertThatThrownBy(() -> publisher.publish(nowhere)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no destination");
        jpa.userTransaction().begin();
        assertThatThrownBy(() -> publisher.publishAll(List.of(toBilling, nowhere)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> publisher.fanOut(order("evt-6"), "billing", "invoicing"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invoicing");
        jpa.userTransaction().commit();

        assertThat(jpa.database().countRows(RelaySetup.TABLE)).isZero();
        assertThat(relay.sweep()).isZero();
        assertThat(stored()).isZero();
    }

    @Test
    void withResourceOrderingTheCopiesOfOneResourceLeaveOneAfterTheOtherInDestinationOrder() throws Exception {
        setUp("resource");
        fanOutCommitted(order("evt-7"));
        fanOutCommitted(order("evt-8"));

        // one resource: only its oldest unsent row is claimable, whatever its subject (outbox.md#ordering)
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            relay.sweep();
            return rows("sent") == 4;
        });

        assertThat(messages()).extracting(m -> m.getHeaders().getFirst("Nats-Msg-Id"))
                .containsExactly("evt-7:billing", "evt-7:shipping", "evt-8:billing", "evt-8:shipping");
    }
}
