package io.jetstreambridge.outbox.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.cdi.BridgeContainers;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.BridgeTables;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code @Inject Publisher}'s fanOut with the outbox on, in a JTA transaction of a CDI container, on PostgreSQL. */
class OutboxFanOutCdiTest {

    private static final String STREAM = "jetstream-bridge-stream";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    @RegisterExtension
    static final BridgeTables TABLES = BridgeTables.postgres("outboxfanout").outbox()
            .table(TestOrder.class, TestOrder.DDL, "test_orders");

    private JtaContainer container;
    private JetStreamManagement jsm;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        jsm = NATS.connect().jetStreamManagement();
        Map<String, String> config = BridgeContainers.outboxOnly(NATS.url());
        config.remove("jetstream.bridge.destination-app");
        config.put("jetstream.bridge.destination-apps", "billing,shipping");
        config.put("jetstream.bridge.outbox.relay.poll-interval", "200ms");
        BridgeConfig.Builder peers = BridgeConfig.builder();
        config.forEach(peers::set);
        new StreamProvisioner(jsm, peers.build()).provision();
        container = OutboxContainers.withOutbox(TABLES.jpa()).beanClasses(FanOutOrderService.class).config(config)
                .start();
    }

    @AfterEach
    void tearDown() {
        if (container != null) {
            container.close();
        }
    }

    private long stored() throws Exception {
        return jsm.getStreamInfo(STREAM).getStreamState().getMsgCount();
    }

    @Test
    void aCommittedFanOutSendsOneCopyToEachPeerUnderItsOwnMessageId() throws Exception {
        List<PublishResult> results = container.select(FanOutOrderService.class).create("A-1", false);

        assertThat(results).extracting(PublishResult::outcome).containsOnly(PublishResult.Outcome.PENDING);
        await().atMost(Duration.ofSeconds(10)).until(() -> stored() == 2);
        List<MessageInfo> messages = List.of(jsm.getMessage(STREAM, 1), jsm.getMessage(STREAM, 2));
        assertThat(messages).extracting(MessageInfo::getSubject)
                .containsExactlyInAnyOrder("orders.sync.billing", "orders.sync.shipping");
        assertThat(messages).extracting(m -> m.getHeaders().getFirst("Nats-Msg-Id"))
                .containsExactlyInAnyOrder("order-A-1:billing", "order-A-1:shipping");
        assertThat(TABLES.database().countRows("test_orders")).isEqualTo(1);
    }

    @Test
    void aRolledBackFanOutWritesNoRowAndSendsNoCopy() throws Exception {
        assertThatThrownBy(() -> container.select(FanOutOrderService.class).create("A-2", true))
                .hasMessageContaining("payment declined");
        container.select(FanOutOrderService.class).create("A-3", false);

        await().atMost(Duration.ofSeconds(10)).until(() -> stored() == 2);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> TABLES.database().countRows("jetstream_bridge_outbox_events") == 0);
        assertThat(List.of(jsm.getMessage(STREAM, 1), jsm.getMessage(STREAM, 2)))
                .extracting(m -> m.getHeaders().getFirst("Nats-Msg-Id"))
                .containsExactlyInAnyOrder("order-A-3:billing", "order-A-3:shipping");
        assertThat(stored()).isEqualTo(2);
        assertThat(TABLES.database().countRows("test_orders")).isEqualTo(1);
    }
}
