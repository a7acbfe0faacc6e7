package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.consume.UnrecoverableEventException;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

class PullConsumerEngineTest {

    private static final String STREAM = "jetstream-bridge-stream";
    static final java.util.concurrent.ScheduledExecutorService SCHEDULER =
            java.util.concurrent.Executors.newScheduledThreadPool(1);

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private BridgeConfig orders;
    private Connection connection;
    private JetStreamManagement jsm;
    private io.jetstreambridge.core.publish.JetStreamPublisher billing;
    private PullConsumerEngine engine;
    private final Queue<JetstreamEvent> received = new ConcurrentLinkedQueue<>();
    private Runnable recreateConsumer = PullConsumerEngine.WAIT_FOR_CONSUMER;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        orders = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.CONSUMER_MAX_DELIVER, "3").set(ConfigKey.CONSUMER_BACKOFF, "300ms,600ms")
                .set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "200ms").set(ConfigKey.NATS_RECONNECT_WAIT, "100ms")
                .set(ConfigKey.CONSUMER_CONCURRENCY, "2").build();
        connection = new NatsConnector(orders.nats(), null).connect();
        jsm = connection.jetStreamManagement();
        new StreamProvisioner(jsm, orders).provision();
        BridgeConfig billingConfig = BridgeConfig.builder().appName("billing").destinationApp("orders")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false").build();
        billing = TestEngines.publisher(connection, billingConfig);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (engine != null) {
            engine.close();
        }
        connection.close();
    }

    private void start(DeliveryHandler handler) {
        start(handler, orders.topology());
    }

    private void start(DeliveryHandler handler, Topology deadLetterTopology) {
        JsonProvider json = JsonProvider.provider();
        var jsonb = JsonbBuilder.create();
        MessageProcessor processor = new MessageProcessor(orders.topology(), new EnvelopeCodec(json),
                event -> {
                    received.add(event);
                    handler.handle(event);
                },
                new FailureClassifier(orders.consumer().maxDeliver(), orders.consumer().backoff(), Set.of()),
                new DeadLetterPublisher(jetStream(), deadLetterTopology, json, Clock.systemUTC()),
                (payload, type) -> jsonb.fromJson(payload.toString(), type),
                new KeepAlive(SCHEDULER, KeepAlive.effectiveAckWait(orders.consumer()),
                        orders.consumer().processingTimeout()));
        engine = new PullConsumerEngine(connection, orders.topology(), orders.consumer(), processor,
                Thread::new, Clock.systemUTC(), Duration.ofSeconds(5), recreateConsumer).start();
    }

    private io.nats.client.JetStream jetStream() {
        try {
            return connection.jetStream();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private PublishResult publish(int id) {
        return billing.publish(OutgoingEvent.builder("invoice.created", Map.of("id", id)).header("tenant", "acme")
                .build());
    }

    private long pendingOnConsumeSubject() throws Exception {
        var info = jsm.getConsumerInfo(STREAM, "orders-workers");
        return info.getNumPending() + info.getNumAckPending();
    }

    @Test
    void eachMessageReachesTheHandlerAndIsAckedOnlyAfterItReturns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(event -> {
            if (event.payload().asJsonObject().getInt("id") == 0) {
                release.await(10, TimeUnit.SECONDS);
            }
        });
        publish(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        // the handler has not returned: the message is delivered but not acked
        assertThat(jsm.getConsumerInfo(STREAM, "orders-workers").getNumAckPending()).isEqualTo(1);

        release.countDown();
        IntStream.range(1, 300).forEach(this::publish);

        await().atMost(Duration.ofSeconds(15)).until(() -> pendingOnConsumeSubject() == 0);
        assertThat(received).hasSize(300);
        assertThat(received.stream().map(JetstreamEvent::eventId).distinct()).hasSize(300);
        JetstreamEvent first = received.peek();
        assertThat(first.eventType()).isEqualTo("invoice.created");
        assertThat(first.resourceType()).isEqualTo("invoice");
        assertThat(first.producer()).contains("billing");
        assertThat(first.subject()).isEqualTo("billing.sync.orders");
        assertThat(first.deliveryCount()).isEqualTo(1);
        assertThat(first.headers().get("tenant")).containsExactly("acme");
        assertThat(first.payloadAs(Map.class)).containsEntry("id", java.math.BigDecimal.ZERO);
    }

    /**
     * A backlog is taken in one pull per batch: after a full batch the worker asks for the whole next batch at
     * once instead of one message and then the rest. The pull requests are read off their subject by a plain
     * subscriber, which JetStream's API subjects allow beside the server.
     */
    @Test
    void aBacklogIsFetchedWithOnePullPerBatch() throws Exception {
        orders = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.CONSUMER_BATCH_SIZE, "25").set(ConfigKey.CONSUMER_CONCURRENCY, "1")
                .set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "200ms").build();
        int batches = 20;
        billing.publishAll(IntStream.range(0, batches * 25)
                .mapToObj(i -> OutgoingEvent.builder("invoice.created", Map.of("id", i)).build()).toList());
        Queue<Integer> pulls = new ConcurrentLinkedQueue<>();
        var recorder = connection.createDispatcher(message -> pulls.add(Json.createReader(
                new StringReader(new String(message.getData(), StandardCharsets.UTF_8))).readObject().getInt("batch")));
        recorder.subscribe("$JS.API.CONSUMER.MSG.NEXT." + STREAM + ".orders-workers");
        start(event -> { });

        await().atMost(Duration.ofSeconds(15)).until(() -> received.size() == batches * 25);
        List<Integer> asked = List.copyOf(pulls);
        connection.closeDispatcher(recorder);
        // two pulls per batch (one message, then the other 24) would make 20 single-message pulls; left are the
        // first, the one after the backlog ends and the idle pulls since, each fetch timeout
        assertThat(asked).contains(25);
        assertThat(asked.stream().filter(batch -> batch == 1).count()).isLessThan(batches / 2);
        assertThat(received.stream().map(JetstreamEvent::eventId).distinct()).hasSize(batches * 25);
    }

    @Test
    void failedHandlerIsRedeliveredNoEarlierThanTheNakDelay() throws Exception {
        Queue<Long> deliveredAt = new ConcurrentLinkedQueue<>();
        start(event -> {
            deliveredAt.add(System.nanoTime());
            if (event.deliveryCount() == 1) {
                throw new IllegalStateException("database busy");
            }
        });
        publish(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> deliveredAt.size() == 2);
        List<Long> times = List.copyOf(deliveredAt);
        assertThat(Duration.ofNanos(times.get(1) - times.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        await().atMost(Duration.ofSeconds(5)).until(() -> pendingOnConsumeSubject() == 0);
        assertThat(received).extracting(JetstreamEvent::deliveryCount).containsExactly(1L, 2L);
    }

    /**
     * The last delivery the client would dead-letter on is lost (taken by a pull the client never handles, as
     * when nats-server counts a delivery it never sent, or a worker stops holding it): the server must still have
     * deliveries to spare, so the message comes back and is dead-lettered instead of staying in the stream.
     */
    @Test
    void lostLastDeliveryIsRedeliveredAndDeadLettered() throws Exception {
        PublishResult published = publish(7);
        io.nats.client.JetStreamSubscription thief = jetStream().subscribe(orders.topology().consumeSubject(),
                io.nats.client.PullSubscribeOptions.bind(STREAM, "orders-workers"));
        List<Long> stolen = new java.util.ArrayList<>();
        while (stolen.size() < orders.consumer().maxDeliver()) {
            for (io.nats.client.Message message : thief.fetch(1, Duration.ofSeconds(2))) {
                stolen.add(message.metaData().deliveredCount());
                if (stolen.size() < orders.consumer().maxDeliver()) {
                    message.nak(); // a failed delivery, retried at once
                } // the last one is dropped: never acked, nak'ed nor dead-lettered
            }
        }
        thief.unsubscribe();
        assertThat(stolen).containsExactly(1L, 2L, 3L);

        start(event -> {
            throw new IllegalStateException("always fails");
        });

        MessageInfo dlq = awaitDeadLetter();
        assertThat(dlq.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(published.eventId() + ":dlq");
        assertThat(dlq.getHeaders().getFirst("x-dlq-reason")).isEqualTo("max_deliver_exceeded");
        assertThat(received).extracting(JetstreamEvent::deliveryCount).containsExactly(4L);
        await().atMost(Duration.ofSeconds(5)).until(() -> pendingOnConsumeSubject() == 0);
    }

    @Test
    void lastAllowedDeliveryIsDeadLetteredWithTheContractHeaders() throws Exception {
        start(event -> {
            throw new IllegalStateException("always fails");
        });
        PublishResult published = publish(2);

        MessageInfo dlq = awaitDeadLetter();
        assertThat(received).hasSize(3);
        Headers headers = dlq.getHeaders();
        assertThat(headers.getFirst("Nats-Msg-Id")).isEqualTo(published.eventId() + ":dlq");
        assertThat(headers.getFirst("x-dead-letter")).isEqualTo("true");
        assertThat(headers.getFirst("x-dlq-reason")).isEqualTo("max_deliver_exceeded");
        assertThat(headers.getFirst("x-deliveries")).isEqualTo("3");
        assertThat(headers.getFirst("tenant")).isEqualTo("acme");
        JsonObject context = Json.createReader(new StringReader(headers.getFirst("x-dlq-context"))).readObject();
        assertThat(new java.util.ArrayList<>(context.keySet())).containsExactly("event_id", "reason", "error_class",
                "error_message", "deliveries", "original_subject", "sequence", "consumer", "stream", "published_at");
        assertThat(context.getString("event_id")).isEqualTo(published.eventId());
        assertThat(context.getString("error_class")).isEqualTo(IllegalStateException.class.getName());
        assertThat(context.getString("error_message")).isEqualTo("always fails");
        assertThat(context.getInt("deliveries")).isEqualTo(3);
        assertThat(context.getString("original_subject")).isEqualTo("billing.sync.orders");
        assertThat(context.getJsonNumber("sequence").longValue()).isEqualTo(published.sequence());
        assertThat(context.getString("consumer")).isEqualTo("orders-workers");
        assertThat(context.getString("stream")).isEqualTo(STREAM);
        assertThat(context.getString("published_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        // the body is the original, byte for byte (the publisher wrote it with the same codec)
        assertThat(dlq.getData()).isEqualTo(new EnvelopeCodec().encode(received.peek().envelope()));
        await().atMost(Duration.ofSeconds(5)).until(() -> pendingOnConsumeSubject() == 0);
    }

    @Test
    void unrecoverableEventIsDeadLetteredOnTheFirstDelivery() throws Exception {
        start(event -> {
            throw new UnrecoverableEventException("customer does not exist");
        });
        publish(3);

        MessageInfo dlq = awaitDeadLetter();
        assertThat(received).hasSize(1);
        assertThat(dlq.getHeaders().getFirst("x-dlq-reason")).isEqualTo("unrecoverable");
        assertThat(dlq.getHeaders().getFirst("x-deliveries")).isEqualTo("1");
    }

    @Test
    void poisonMessagesAreDeadLetteredAsMalformedWithoutReachingTheHandler() throws Exception {
        start(event -> { });
        publishRaw("poison-1", "{\"event_type\": \"order.created\", \"payload\": ");
        publishRaw("poison-2", "{\"event_id\":\"poison-2\",\"schema_version\":1,\"payload\":{\"id\":1}}");

        await().atMost(Duration.ofSeconds(5)).until(() -> dlqCount() == 2);
        for (String id : List.of("poison-1", "poison-2")) {
            MessageInfo dlq = findDeadLetter(id + ":dlq");
            assertThat(dlq).as("dead letter of %s", id).isNotNull();
            assertThat(dlq.getHeaders().getFirst("x-dlq-reason")).isEqualTo("malformed_json");
        }
        assertThat(received).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> pendingOnConsumeSubject() == 0);
    }

    @Test
    void failedDeadLetterCopyNaksTheMessageInsteadOfLosingIt() throws Exception {
        Topology wrongStream = new Topology("no-such-stream", "orders", "billing", true, null, null);
        start(event -> {
            throw new UnrecoverableEventException("never works");
        }, wrongStream);
        publish(4);

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        assertThat(dlqCount()).isZero();
        // never acked: still in the work-queue stream for an operator to inspect
        assertThat(jsm.getStreamInfo(STREAM).getStreamState().getMsgCount()).isEqualTo(1);
    }

    @Test
    void loopSurvivesAServerKillAndKeepsConsuming() throws Exception {
        start(event -> { });
        IntStream.range(0, 100).forEach(this::publish);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 100);

        NATS.server().kill();
        NATS.server().restart();
        IntStream.range(100, 200).forEach(this::publish);

        await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().map(JetstreamEvent::eventId)
                .distinct().count() == 200);
        assertThat(engine.state()).isEqualTo(ConsumerEngine.State.RUNNING);
    }

    @Test
    void deletedConsumerPutsTheLoopIntoRecoveryUntilTheConsumerIsBack() throws Exception {
        start(event -> { });
        publish(5);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);

        jsm.deleteConsumer(STREAM, "orders-workers");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.state() == ConsumerEngine.State.RECOVERING);
        assertThat(engine.lastError()).isPresent();
        new StreamProvisioner(jsm, orders).provision();
        publish(6);

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        assertThat(engine.state()).isEqualTo(ConsumerEngine.State.RUNNING);
    }

    @Test
    void deletedConsumerIsRecreatedWhenProvisioningIsAllowed() throws Exception {
        recreateConsumer = () -> new StreamProvisioner(jsm, orders).provision();
        start(event -> { });
        publish(8);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);

        jsm.deleteConsumer(STREAM, "orders-workers");
        publish(9);

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        assertThat(jsm.getConsumerNames(STREAM)).containsExactly("orders-workers");
        assertThat(engine.state()).isEqualTo(ConsumerEngine.State.RUNNING);
    }

    @Test
    void observerSlowerThanAckWaitIsNotRedeliveredMeanwhile() throws Exception {
        jsm.deleteConsumer(STREAM, "orders-workers");
        orders = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.CONSUMER_ACK_WAIT, "1s").set(ConfigKey.CONSUMER_BACKOFF, "none")
                .set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "200ms").set(ConfigKey.CONSUMER_CONCURRENCY, "2").build();
        new StreamProvisioner(jsm, orders).provision();
        CountDownLatch neverReleased = new CountDownLatch(1);
        start(event -> neverReleased.await(2500, TimeUnit.MILLISECONDS)); // slow work: 2.5 x ack_wait
        publish(7);

        await().atMost(Duration.ofSeconds(10)).until(() -> pendingOnConsumeSubject() == 0);
        assertThat(received).hasSize(1);
        assertThat(received.peek().deliveryCount()).isEqualTo(1);
    }

    @Test
    void observerSlowerThanTheFirstBackoffStepIsNotRedeliveredMeanwhile() throws Exception {
        // with a backoff list the server redelivers after its first step (here 1s), not after ack_wait (30s)
        jsm.deleteConsumer(STREAM, "orders-workers");
        orders = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.CONSUMER_BACKOFF, "1s,5s").set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "200ms")
                .set(ConfigKey.CONSUMER_CONCURRENCY, "2").build();
        new StreamProvisioner(jsm, orders).provision();
        CountDownLatch neverReleased = new CountDownLatch(1);
        start(event -> neverReleased.await(2500, TimeUnit.MILLISECONDS)); // slow work: 2.5 x the first step
        publish(10);

        await().atMost(Duration.ofSeconds(10)).until(() -> pendingOnConsumeSubject() == 0);
        assertThat(received).hasSize(1);
    }

    @Test
    void aLoneMessageIsHandledAtOnceNotAfterTheFetchTimeout() throws Exception {
        jsm.deleteConsumer(STREAM, "orders-workers");
        orders = BridgeConfig.builder().appName("orders").destinationApp("billing").natsUrls(NATS.url())
                .set(ConfigKey.CONSUMER_FETCH_TIMEOUT, "10s").set(ConfigKey.CONSUMER_BATCH_SIZE, "50").build();
        new StreamProvisioner(jsm, orders).provision();
        start(event -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.state() == ConsumerEngine.State.RUNNING
                || engine.lastActivity().isEmpty());

        long published = System.nanoTime();
        publish(11);
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);

        // far below the 10 s fetch timeout; a whole-batch pull would hold the message until then
        assertThat(Duration.ofNanos(System.nanoTime() - published)).isLessThan(Duration.ofSeconds(3));
    }

    private void publishRaw(String msgId, String body) throws Exception {
        Headers headers = new Headers().add("Nats-Msg-Id", msgId);
        jetStream().publish(NatsMessage.builder().subject("billing.sync.orders").headers(headers)
                .data(body.getBytes(StandardCharsets.UTF_8)).build());
    }

    private MessageInfo awaitDeadLetter() {
        await().atMost(Duration.ofSeconds(10)).until(() -> dlqCount() == 1);
        try {
            return jsm.getLastMessage(STREAM, "orders.sync.dlq");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long dlqCount() throws Exception {
        return jsm.getStreamInfo(STREAM, io.nats.client.api.StreamInfoOptions.filterSubjects("orders.sync.dlq"))
                .getStreamState().getSubjectMap().getOrDefault("orders.sync.dlq", 0L);
    }

    private MessageInfo findDeadLetter(String msgId) throws Exception {
        long last = jsm.getStreamInfo(STREAM).getStreamState().getLastSequence();
        for (long seq = 1; seq <= last; seq++) {
            try {
                MessageInfo info = jsm.getMessage(STREAM, seq);
                if (info.getHeaders() != null && msgId.equals(info.getHeaders().getFirst("Nats-Msg-Id"))) {
                    return info;
                }
            } catch (io.nats.client.JetStreamApiException deleted) {
                // acked work-queue messages are gone
            }
        }
        return null;
    }
}
