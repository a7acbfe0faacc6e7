package io.jetstreambridge.core.consume;

import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.envelope.WireHeaders;
import io.jetstreambridge.core.deadletter.DeadLetterHeaders;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.topology.Topology;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import jakarta.json.spi.JsonProvider;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Copies a message to {@code {app}.sync.dlq} as the wire contract says: the original body byte for byte, the
 * original headers but JetStream's own ({@code Nats-*}: the message id, which becomes {@code {message id}:dlq} ({@code {event_id}:dlq}
 * for what the bridge and the Ruby gem publish) so the copy is never dropped as a duplicate of the original, and publish expectations or a rollup, which would make the
 * copy fail or purge the DLQ), and the {@code x-dead-letter}, {@code x-dlq-reason}, {@code x-deliveries} and
 * {@code x-dlq-context} headers.
 *
 * <p>A copy can always be built: jnats refuses header values with characters above 0x7F (or CR, LF), so the
 * {@code x-dlq-context} JSON is written in ASCII with {@code \\uXXXX} escapes for everything else (any JSON parser,
 * the Ruby gem's included, reads the original text back), its {@code error_message} is cut at
 * {@value #MAX_ERROR_MESSAGE} characters like the inbox's {@code last_error}, an original header that cannot be
 * sent again is left out (logged), and should the context still be refused, a context without the error texts is
 * written instead: a dead letter with less detail beats a message nak'ed until it is stuck.
 */
public final class DeadLetterPublisher {

    /** Longest {@code error_message} kept in the context, as the inbox's {@code last_error} column. */
    static final int MAX_ERROR_MESSAGE = 4000;

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
        publish(original.getSubject(), original.getHeaders(), original.getData(), eventId, reason,
                error == null ? "" : error.getClass().getName(),
                error == null || error.getMessage() == null ? "" : error.getMessage(), deliveries, sequence);
    }

    /**
     * Copies a message read back from the stream by its sequence (one the server will not deliver again), with
     * {@code why} as the context's {@code error_message} and no error class. Waits for JetStream's ack.
     */
    public void publish(MessageInfo stored, String eventId, DeadLetterReason reason, String why, long deliveries)
            throws IOException, JetStreamApiException {
        publish(stored.getSubject(), stored.getHeaders(), stored.getData(), eventId, reason, "", why, deliveries,
                stored.getSeq());
    }

    private void publish(String subject, Headers original, byte[] body, String eventId, DeadLetterReason reason,
                         String errorClass, String errorMessage, long deliveries, long sequence)
            throws IOException, JetStreamApiException {
        Headers headers = new Headers();
        if (original != null) {
            original.entrySet().stream().filter(e -> !DeadLetterHeaders.isJetStreamHeader(e.getKey()))
                    .forEach(e -> copy(headers, e.getKey(), e.getValue(), eventId));
        }
        headers.put(WireHeaders.MSG_ID, ascii(dlqMessageId(original, eventId)));
        headers.put(DeadLetterHeaders.DEAD_LETTER, "true");
        headers.put(DeadLetterHeaders.REASON, reason.wireName());
        headers.put(DeadLetterHeaders.DELIVERIES, String.valueOf(deliveries));
        try {
            headers.put(DeadLetterHeaders.CONTEXT,
                    context(subject, eventId, reason, errorClass, errorMessage, deliveries, sequence));
        } catch (IllegalArgumentException refused) {
            headers.put(DeadLetterHeaders.CONTEXT, context(subject, eventId, reason, "", "", deliveries, sequence));
        }
        Message copy = NatsMessage.builder().subject(topology.dlqSubject()).headers(headers).data(body).build();
        jetStream.publish(copy, PublishOptions.builder().expectedStream(topology.stream()).build());
    }

    /**
     * {@code {message id}:dlq}: the original's own message id, which is the event id for everything the bridge and
     * the Ruby gem publish. Not the event id alone: a replay (message id {@code {event_id}:replay:{n}}) that fails
     * again must not be dropped by JetStream as a duplicate of the event's first dead letter.
     */
    private static String dlqMessageId(Headers original, String eventId) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (original != null) {
            original.entrySet().forEach(e -> headers.put(e.getKey(), e.getValue()));
        }
        return WireHeaders.header(headers, WireHeaders.MSG_ID).orElse(eventId) + ":dlq";
    }

    private static void copy(Headers headers, String name, List<String> values, String eventId) {
        try {
            headers.add(name, values);
        } catch (IllegalArgumentException e) {
            BridgeLog.deadLetterHeaderLeftOut(eventId, name, e.getMessage());
        }
    }

    private String context(String subject, String eventId, DeadLetterReason reason, String errorClass,
                           String errorMessage, long deliveries, long sequence) {
        String context = json.createObjectBuilder()
                .add("event_id", eventId)
                .add("reason", reason.wireName())
                .add("error_class", errorClass)
                .add("error_message", bounded(errorMessage))
                .add("deliveries", deliveries)
                .add("original_subject", subject)
                .add("sequence", sequence)
                .add("consumer", topology.durableName())
                .add("stream", topology.stream())
                .add("published_at", EnvelopeFactory.formatOccurredAt(clock.instant()))
                .build().toString();
        return ascii(context);
    }

    /** At most {@link #MAX_ERROR_MESSAGE} characters, never ending in half a surrogate pair. */
    static String bounded(String text) {
        if (text.length() <= MAX_ERROR_MESSAGE) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_ERROR_MESSAGE - 1)) ? MAX_ERROR_MESSAGE - 1
                : MAX_ERROR_MESSAGE;
        return text.substring(0, end);
    }

    /**
     * Every character from 0x7F up, and every control character, as a JSON {@code \\uXXXX} escape: what jnats
     * accepts in a header value. In a JSON text such characters occur only inside strings (JSON-P already escapes
     * control characters there), where the escape means the same character, so the result is the same JSON in
     * ASCII.
     */
    static String ascii(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x7F || c < 0x20) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 64).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
