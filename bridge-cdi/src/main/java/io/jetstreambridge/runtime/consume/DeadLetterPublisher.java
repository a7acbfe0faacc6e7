package io.jetstreambridge.runtime.consume;

import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.envelope.WireHeaders;
import io.jetstreambridge.runtime.deadletter.DeadLetterHeaders;
import io.jetstreambridge.topology.Topology;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Copies a message to {@code {app}.sync.dlq} as the wire contract says: the original body byte for byte, the
 * original headers but {@code Nats-Msg-Id}, which becomes {@code {message id}:dlq} ({@code {event_id}:dlq} for what
 * the bridge and the Ruby gem publish) so the copy is never dropped as a duplicate of the original, and the
 * {@code x-dead-letter}, {@code x-dlq-reason}, {@code x-deliveries} and {@code x-dlq-context} headers.
 */
public final class DeadLetterPublisher {

    private final JetStream jetStream;
    private final Topology topology;
    private final JsonProvider json;
    private final Clock clock;

    public DeadLetterPublisher(JetStream jetStream, Topology topology, JsonProvider json, Clock clock) {
        this.jetStream = Objects.requireNonNull(jetStream, "jetStream");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.json = Objects.requireNonNull(json, "json");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Publishes and waits for JetStream's ack; only then may the original be acked. */
    public void publish(Message original, String eventId, DeadLetterReason reason, Throwable error, long deliveries,
                        long sequence) throws IOException, JetStreamApiException {
        Headers headers = new Headers();
        if (original.getHeaders() != null) {
            original.getHeaders().entrySet().stream()
                    .filter(e -> !e.getKey().equalsIgnoreCase(WireHeaders.MSG_ID))
                    .forEach(e -> headers.add(e.getKey(), e.getValue()));
        }
        headers.put(WireHeaders.MSG_ID, dlqMessageId(original, eventId));
        headers.put(DeadLetterHeaders.DEAD_LETTER, "true");
        headers.put(DeadLetterHeaders.REASON, reason.wireName());
        headers.put(DeadLetterHeaders.DELIVERIES, String.valueOf(deliveries));
        headers.put(DeadLetterHeaders.CONTEXT, context(original, eventId, reason, error, deliveries, sequence));
        Message copy = NatsMessage.builder().subject(topology.dlqSubject()).headers(headers)
                .data(original.getData()).build();
        jetStream.publish(copy, PublishOptions.builder().expectedStream(topology.stream()).build());
    }

    /**
     * {@code {message id}:dlq}: the original's own message id, which is the event id for everything the bridge and
     * the Ruby gem publish. Not the event id alone: a replay (message id {@code {event_id}:replay:{n}}) that fails
     * again must not be dropped by JetStream as a duplicate of the event's first dead letter.
     */
    private static String dlqMessageId(Message original, String eventId) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (original.getHeaders() != null) {
            original.getHeaders().entrySet().forEach(e -> headers.put(e.getKey(), e.getValue()));
        }
        return WireHeaders.header(headers, WireHeaders.MSG_ID).orElse(eventId) + ":dlq";
    }

    private String context(Message original, String eventId, DeadLetterReason reason, Throwable error,
                           long deliveries, long sequence) {
        JsonObjectBuilder context = json.createObjectBuilder()
                .add("event_id", eventId)
                .add("reason", reason.wireName())
                .add("error_class", error == null ? "" : error.getClass().getName())
                .add("error_message", error == null || error.getMessage() == null ? "" : error.getMessage())
                .add("deliveries", deliveries)
                .add("original_subject", original.getSubject())
                .add("sequence", sequence)
                .add("consumer", topology.durableName())
                .add("stream", topology.stream())
                .add("published_at", EnvelopeFactory.formatOccurredAt(clock.instant()));
        return context.build().toString();
    }
}
