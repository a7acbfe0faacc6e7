package io.jetstreambridge.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.PublishResult.Outcome;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The direct publisher of an application with two peers (billing, shipping), on a real nats-server. */
class SeveralPeersPublishTest {

    private static final String STREAM = "jetstream-bridge-stream";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private Connection connection;
    private JetStreamManagement jsm;
    private DirectPublisher publisher;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        connection = NATS.connect();
        jsm = connection.jetStreamManagement();
        BridgeConfig config = BridgeConfig.builder().appName("orders").destinationApps("billing", "shipping")
                .natsUrls(NATS.url()).build();
        new StreamProvisioner(jsm, config).provision();
        publisher = Publishers.create(connection, config);
    }

    @AfterEach
    void tearDown() throws Exception {
        connection.close();
    }

    private long stored() throws Exception {
        return jsm.getStreamInfo(STREAM).getStreamState().getMsgCount();
    }

    private static OutgoingEvent order(int id, String destination) {
        return OutgoingEvent.builder("order.created", Map.of("id", id)).destination(destination).build();
    }

    private static JsonObject body(MessageInfo message) {
        return Json.createReader(new StringReader(new String(message.getData(), StandardCharsets.UTF_8)))
                .readObject();
    }

    @Test
    void anEventForANamedPeerLandsOnThatPeersSubject() throws Exception {
        PublishResult shipping = publisher.publish(order(1, "shipping"));
        PublishResult billing = publisher.publishAsync(order(2, "billing")).toCompletableFuture().join();

        assertThat(shipping.subject()).isEqualTo("orders.sync.shipping");
        assertThat(jsm.getMessage(STREAM, shipping.sequence()).getSubject()).isEqualTo("orders.sync.shipping");
        assertThat(billing.subject()).isEqualTo("orders.sync.billing");
        assertThat(jsm.getMessage(STREAM, billing.sequence()).getSubject()).isEqualTo("orders.sync.billing");
    }

    @Test
    void anEventNamingNoPeerOrAnUnknownOneIsRefusedAndNothingIsSent() throws Exception {
        OutgoingEvent nowhere = OutgoingEvent.of("order.created", Map.of("id", 1));

        assertThatThrownBy(() -> publisher.publish(nowhere)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no destination").hasMessageContaining("[billing, shipping]");
        assertThatThrownBy(() -> publisher.publishAsync(nowhere)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> publisher.publish(order(2, "invoicing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'invoicing' is not one of");
        // a list with one such event is refused whole, before the valid ones are sent
        assertThatThrownBy(() -> publisher.publishAll(List.of(order(3, "billing"), nowhere, order(4, "shipping"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(stored()).isZero();
    }

    @Test
    void fanOutSendsOneCopyPerPeerEachWithItsOwnMessageIdAndTheSameTraceId() throws Exception {
        OutgoingEvent event = OutgoingEvent.builder("order.created", Map.of("id", 5)).eventId("evt-5").build();

        List<PublishResult> results = publisher.fanOut(event, "billing", "shipping");

        assertThat(results).extracting(PublishResult::outcome).containsExactly(Outcome.PUBLISHED, Outcome.PUBLISHED);
        assertThat(results).extracting(PublishResult::subject)
                .containsExactly("orders.sync.billing", "orders.sync.shipping");
        MessageInfo billing = jsm.getMessage(STREAM, results.get(0).sequence());
        MessageInfo shipping = jsm.getMessage(STREAM, results.get(1).sequence());
        assertThat(billing.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("evt-5:billing");
        assertThat(shipping.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("evt-5:shipping");
        assertThat(body(billing).getString("event_id")).isEqualTo("evt-5:billing");
        assertThat(body(billing).getString("trace_id")).isEqualTo(body(shipping).getString("trace_id"));

        // each copy is deduplicated on its own: the same fan-out again stores nothing new
        assertThat(publisher.fanOut(event, "billing", "shipping")).extracting(PublishResult::outcome)
                .containsExactly(Outcome.DUPLICATE, Outcome.DUPLICATE);
        // and one peer's copy is no duplicate of the other's
        assertThat(publisher.fanOut(OutgoingEvent.builder("order.created", Map.of("id", 6)).eventId("evt-6")
                .build(), "shipping")).extracting(PublishResult::outcome).containsExactly(Outcome.PUBLISHED);
        assertThat(stored()).isEqualTo(3);
    }

    @Test
    void fanOutWithoutAnEventIdGivesEachCopyAUuid() throws Exception {
        List<PublishResult> results = publisher.fanOut(OutgoingEvent.of("order.created", Map.of("id", 7)),
                "billing", "shipping");

        assertThat(results.get(0).eventId()).isNotEqualTo(results.get(1).eventId());
        assertThat(jsm.getMessage(STREAM, results.get(0).sequence()).getHeaders().getFirst("Nats-Msg-Id"))
                .isEqualTo(results.get(0).eventId());
        assertThat(jsm.getMessage(STREAM, results.get(1).sequence()).getHeaders().getFirst("Nats-Msg-Id"))
                .isEqualTo(results.get(1).eventId());
        assertThat(stored()).isEqualTo(2);
    }

    @Test
    void fanOutToAnUnknownPeerSendsNoCopy() throws Exception {
        assertThatThrownBy(() -> publisher.fanOut(OutgoingEvent.of("order.created", Map.of("id", 8)),
                "billing", "invoicing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invoicing");
        assertThat(stored()).isZero();
    }
}
