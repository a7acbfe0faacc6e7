package io.jetstreambridge.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishException;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.PublishResult.Outcome;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.api.MessageInfo;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

class JetStreamPublisherTest {

    private static final String STREAM = "jetstream-bridge-stream";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private Connection connection;
    private JetStreamManagement jsm;
    private BridgeConfig config;
    private JetStreamPublisher publisher;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        connection = NATS.connect();
        jsm = connection.jetStreamManagement();
        config = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url()).build();
        new StreamProvisioner(jsm, config).provision();
        publisher = Publishers.create(connection, config);
    }

    @Test
    void sameEventIdTwiceStoresOneMessageAndReportsTheDuplicate() throws Exception {
        OutgoingEvent event = OutgoingEvent.builder("order.created", Map.of("id", 42)).eventId("evt-1").build();

        PublishResult first = publisher.publish(event);
        PublishResult second = publisher.publish(event);

        assertThat(first.outcome()).isEqualTo(Outcome.PUBLISHED);
        assertThat(first.duplicate()).isFalse();
        assertThat(first.stream()).isEqualTo(STREAM);
        assertThat(first.subject()).isEqualTo("orders.sync.billing");
        assertThat(second.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(second.duplicate()).isTrue();
        assertThat(second.sequence()).isEqualTo(first.sequence());
        assertThat(jsm.getStreamInfo(STREAM).getStreamState().getMsgCount()).isEqualTo(1);
    }

    @Test
    void plainSubscriberReadsTheContractEnvelopeAndMessageId() throws Exception {
        Connection plain = NATS.connect();
        Subscription subscription = plain.subscribe("orders.sync.billing");
        plain.flush(Duration.ofSeconds(2));

        PublishResult result = publisher.publish(OutgoingEvent.builder("order.created",
                        Map.of("id", 42, "customer", "ACME"))
                .occurredAt(Instant.parse("2026-11-26T17:04:05.123Z")).header("tenant", "acme").build());

        Message message = subscription.nextMessage(Duration.ofSeconds(5));
        assertThat(message).as("message on orders.sync.billing").isNotNull();
        assertThat(message.getHeaders().get("Nats-Msg-Id")).containsExactly(result.eventId());
        assertThat(message.getHeaders().get("tenant")).containsExactly("acme");
        JsonObject body = Json.createReader(new StringReader(new String(message.getData(),
                StandardCharsets.UTF_8))).readObject();
        assertThat(new ArrayList<>(body.keySet())).containsExactly("event_id", "schema_version", "event_type",
                "producer", "resource_id", "occurred_at", "trace_id", "resource_type", "payload");
        assertThat(body.getString("event_id")).isEqualTo(result.eventId())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(body.getInt("schema_version")).isEqualTo(1);
        assertThat(body.getString("producer")).isEqualTo("orders");
        assertThat(body.getString("resource_id")).isEqualTo("42");
        assertThat(body.getString("resource_type")).isEqualTo("order");
        assertThat(body.getString("occurred_at")).isEqualTo("2026-11-26T17:04:05Z");
        assertThat(body.getString("trace_id")).matches("[0-9a-f]{16}");
        assertThat(body.getJsonObject("payload").getString("customer")).isEqualTo("ACME");
    }

    @Test
    void publishDuringServerRestartSucceedsOnceTheServerIsBackWithoutDuplicate() throws Exception {
        NATS.server().stop();
        OutgoingEvent event = OutgoingEvent.builder("order.created", Map.of("id", 7)).eventId("during-restart")
                .build();

        CompletableFuture<PublishResult> publishing = CompletableFuture.supplyAsync(() -> publisher.publish(event));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !publishing.isDone());
        NATS.server().restart();
        PublishResult result = publishing.get(30, TimeUnit.SECONDS);

        // if an ack was lost during the restart the retry is reported as a duplicate: still stored exactly once
        assertThat(result.outcome()).isIn(Outcome.PUBLISHED, Outcome.DUPLICATE);
        assertThat(jsm.getStreamInfo(STREAM).getStreamState().getMsgCount()).isEqualTo(1);
        MessageInfo stored = jsm.getMessage(STREAM, result.sequence());
        assertThat(stored.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("during-restart");
        assertThat(publisher.publish(event).duplicate()).isTrue();
    }

    @Test
    void publishAllPipelinesAndKeepsOrderOfResults() throws Exception {
        List<OutgoingEvent> events = IntStream.range(0, 2000)
                .mapToObj(i -> OutgoingEvent.builder("order.created", Map.of("id", i)).eventId("batch-" + i)
                        .build())
                .toList();

        List<PublishResult> results = publisher.publishAll(events);

        assertThat(results).hasSize(2000).allMatch(r -> r.outcome() == Outcome.PUBLISHED);
        assertThat(results.get(1234).eventId()).isEqualTo("batch-1234");
        assertThat(jsm.getStreamInfo(STREAM).getStreamState().getMsgCount()).isEqualTo(2000);
    }

    /** Short ack timeout and backoff, so a subject no stream captures fails within a second. */
    private JetStreamPublisher quickPublisher(int maxAttempts) {
        BridgeConfig quick = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url()).set(ConfigKey.PUBLISH_ACK_TIMEOUT, "300ms")
                .set(ConfigKey.PUBLISH_MAX_ATTEMPTS, String.valueOf(maxAttempts))
                .set(ConfigKey.PUBLISH_RETRY_BACKOFF, "50ms").build();
        return Publishers.create(connection, quick);
    }

    @Test
    void publishAllReportsAFailedEventWithoutHidingTheOthers() throws Exception {
        JetStreamPublisher quickPublisher = quickPublisher(2);

        List<PublishResult> results = quickPublisher.publishAll(List.of(
                OutgoingEvent.of("order.created", Map.of("id", 1)),
                OutgoingEvent.builder("order.created", Map.of("id", 2)).subject("nobody.listens.here").build(),
                OutgoingEvent.of("order.created", Map.of("id", 3))));

        assertThat(results).extracting(PublishResult::outcome)
                .containsExactly(Outcome.PUBLISHED, Outcome.FAILED, Outcome.PUBLISHED);
        PublishException failure = results.get(1).failure();
        assertThat(failure.subject()).isEqualTo("nobody.listens.here");
        assertThat(failure.attempts()).as(failure.getMessage()).isEqualTo(2);
        assertThat(failure.eventId()).isEqualTo(results.get(1).eventId());
        assertThat(jsm.getStreamInfo(STREAM).getStreamState().getMsgCount()).isEqualTo(2);
    }

    @Test
    void synchronousPublishRetriesOnTheCallersThreadAndThenFailsWithItsAttempts() throws Exception {
        JetStreamPublisher quickPublisher = quickPublisher(3);
        OutgoingEvent lost = OutgoingEvent.builder("order.created", Map.of("id", 2)).subject("nobody.listens.here")
                .eventId("lost-1").build();

        assertThatThrownBy(() -> quickPublisher.publish(lost)).isInstanceOfSatisfying(PublishException.class, e -> {
            assertThat(e.attempts()).as(e.getMessage()).isEqualTo(3);
            assertThat(e.eventId()).isEqualTo("lost-1");
            assertThat(e.subject()).isEqualTo("nobody.listens.here");
            assertThat(e.getMessage()).contains("did not ack after 3 attempts");
        });
        assertThat(jsm.getStreamInfo(STREAM).getStreamState().getMsgCount()).isZero();
    }

    @Test
    void asyncPublishCompletesWithTheAck() throws Exception {
        PublishResult result = publisher.publishAsync(OutgoingEvent.of("invoice.created", Map.of("id", "INV-1")))
                .toCompletableFuture().get();

        assertThat(result.outcome()).isEqualTo(Outcome.PUBLISHED);
        assertThat(result.sequence()).isPositive();
    }

    @Test
    void oversizedPayloadFailsClearlyAndStoresNothing() throws Exception {
        String big = "x".repeat((int) connection.getServerInfo().getMaxPayload() + 1);

        assertThatThrownBy(() -> publisher.publish("order.created", Map.of("id", 1, "blob", big)))
                .isInstanceOf(PublishException.class)
                .hasMessageContaining("max_payload")
                .hasMessageContaining("nothing was sent");
        assertThat(jsm.getStreamInfo(STREAM).getStreamState().getMsgCount()).isZero();
    }

    @Test
    void payloadThatIsNotJsonIsRejectedBeforeSending() throws Exception {
        assertThatThrownBy(() -> publisher.publish(OutgoingEvent.builder("order.created", Map.of())
                .jsonPayload("{not json").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
        assertThat(jsm.getStreamInfo(STREAM).getStreamState().getMsgCount()).isZero();
    }
}
