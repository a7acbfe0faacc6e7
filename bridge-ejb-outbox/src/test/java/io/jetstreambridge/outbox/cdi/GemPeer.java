package io.jetstreambridge.outbox.cdi;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code billing}, a Rails application on the Ruby gem {@code jetstream_bridge} 7.x with {@code app_name billing} and
 * {@code destination_app orders}, played by a plain jnats client: it knows nothing of the bridge and nothing of
 * {@code orders}' other peers. What it does on the wire is what the gem does (docs/wire-contract.md, the golden
 * messages under contract/): it adds its subjects to the shared stream, consumes {@code orders.sync.billing} with its
 * own durable {@code billing-workers} (explicit ack, deliver all, max deliver 5), acks or naks each message, and
 * publishes envelopes on {@code billing.sync.orders} as compact JSON with the lower-case {@code nats-msg-id} header.
 *
 * <p>The gem's durable also carries its nanosecond backoff (ruby-gem-durable.json), which makes the server
 * redeliver every unacked message at once; this client sets the ack wait the gem means (30 s) instead, since its
 * timing is not what these tests are about: which subjects and which durable are.
 */
final class GemPeer implements AutoCloseable {

    static final String STREAM = "jetstream-bridge-stream";
    static final String APP = "billing";
    /** What the gem derives from app_name billing and destination_app orders. */
    static final String DURABLE = "billing-workers";
    static final String CONSUME_SUBJECT = "orders.sync.billing";
    static final String PUBLISH_SUBJECT = "billing.sync.orders";
    static final String DLQ_SUBJECT = "billing.sync.dlq";

    /** One message the gem's consumer was handed, and what it answered. */
    record Delivery(String eventId, String subject, long deliveredCount, boolean acked) {
    }

    private final Connection connection;
    private final JetStream jetStream;
    private final Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    private final Set<String> nakOnce = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private Thread worker;

    private GemPeer(Connection connection) throws IOException {
        this.connection = connection;
        this.jetStream = connection.jetStream();
    }

    /**
     * Provisions as the gem does at boot: the stream with its three subjects (created as a work queue when absent,
     * else the missing subjects added, the others kept) and its durable.
     */
    static GemPeer provision(Connection connection) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = connection.jetStreamManagement();
        List<String> ours = List.of(PUBLISH_SUBJECT, CONSUME_SUBJECT, DLQ_SUBJECT);
        StreamInfo existing = null;
        try {
            existing = jsm.getStreamInfo(STREAM);
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 404) {
                throw e;
            }
        }
        if (existing == null) {
            jsm.addStream(StreamConfiguration.builder().name(STREAM).subjects(ours)
                    .retentionPolicy(RetentionPolicy.WorkQueue).storageType(StorageType.File)
                    .duplicateWindow(Duration.ofMinutes(2)).build());
        } else {
            Set<String> subjects = new LinkedHashSet<>(existing.getConfiguration().getSubjects());
            if (subjects.addAll(ours)) {
                jsm.updateStream(StreamConfiguration.builder(existing.getConfiguration()).subjects(subjects).build());
            }
        }
        jsm.addOrUpdateConsumer(STREAM, ConsumerConfiguration.builder().durable(DURABLE)
                .filterSubject(CONSUME_SUBJECT).ackPolicy(AckPolicy.Explicit).deliverPolicy(DeliverPolicy.All)
                .maxDeliver(5).ackWait(Duration.ofSeconds(30)).maxAckPending(1000).build());
        return new GemPeer(connection);
    }

    /** The event with this id is nak'ed at its first delivery (the gem's nak carries no delay), acked after. */
    void nakOnce(String eventId) {
        nakOnce.add(eventId);
    }

    /** Starts the gem's worker: pull from {@code billing-workers}, handle, ack. */
    void start() throws IOException, JetStreamApiException {
        JetStreamSubscription subscription = jetStream.subscribe(null, PullSubscribeOptions.bind(STREAM, DURABLE));
        running = true;
        worker = new Thread(() -> {
            while (running) {
                for (Message message : subscription.fetch(10, Duration.ofMillis(200))) {
                    handle(message);
                }
            }
            subscription.unsubscribe();
        }, "gem-billing-worker");
        worker.setDaemon(true);
        worker.start();
    }

    private void handle(Message message) {
        String eventId = eventId(message);
        long delivered = message.metaData().deliveredCount();
        if (nakOnce.remove(eventId)) {
            message.nak();
            deliveries.add(new Delivery(eventId, message.getSubject(), delivered, false));
        } else {
            message.ack();
            deliveries.add(new Delivery(eventId, message.getSubject(), delivered, true));
        }
    }

    private static String eventId(Message message) {
        try (JsonReader reader = Json.createReader(new StringReader(
                new String(message.getData(), StandardCharsets.UTF_8)))) {
            JsonObject body = reader.readObject();
            return body.getString("event_id");
        }
    }

    /** Everything the gem's consumer was handed, in order. */
    List<Delivery> deliveries() {
        return new ArrayList<>(deliveries);
    }

    /** The ids of the events it acked, once per ack. */
    List<String> acked() {
        return deliveries.stream().filter(Delivery::acked).map(Delivery::eventId).toList();
    }

    /**
     * Publishes as the gem's {@code publish(event_type:, payload: {id: ...})} does, with a new UUID as the event id;
     * returns the message, which {@link #resend} sends again.
     */
    Message publish(String eventType, String resourceId) throws IOException, JetStreamApiException {
        return publish(UUID.randomUUID().toString(), eventType, resourceId);
    }

    /** {@link #publish(String, String)} with the event id given (the gem's caller may give one). */
    Message publish(String eventId, String eventType, String resourceId) throws IOException, JetStreamApiException {
        String traceId = String.format("%016x", ThreadLocalRandom.current().nextLong());
        // the gem's bytes: compact JSON, keys in this order (contract/ruby-order-created.json)
        String body = "{\"event_id\":\"" + eventId + "\",\"schema_version\":1,\"event_type\":\"" + eventType
                + "\",\"producer\":\"" + APP + "\",\"resource_id\":\"" + resourceId + "\",\"occurred_at\":\""
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\",\"trace_id\":\"" + traceId
                + "\",\"resource_type\":\"" + eventType.substring(0, eventType.indexOf('.'))
                + "\",\"payload\":{\"id\":\"" + resourceId + "\"}}";
        Headers headers = new Headers().put("nats-msg-id", eventId);
        Message message = NatsMessage.builder().subject(PUBLISH_SUBJECT).headers(headers)
                .data(body.getBytes(StandardCharsets.UTF_8)).build();
        jetStream.publish(message);
        return message;
    }

    /**
     * Sends the same message again, as a Rails app retrying a publish does. nats-server 2.9 reads the lower-case
     * {@code nats-msg-id} as no dedupe id, so the stream stores it twice; only the receiver's inbox can drop it.
     */
    void resend(Message message) throws IOException, JetStreamApiException {
        jetStream.publish(NatsMessage.builder().subject(message.getSubject()).headers(message.getHeaders())
                .data(message.getData()).build());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (worker != null) {
            worker.join(Duration.ofSeconds(5).toMillis());
        }
        connection.close();
    }
}
