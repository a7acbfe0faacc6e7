package io.jetstreambridge.runtime.consume;

import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.envelope.Envelope;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.MalformedEnvelopeException;
import io.jetstreambridge.envelope.WireHeaders;
import io.jetstreambridge.runtime.log.BridgeLog;
import io.jetstreambridge.runtime.telemetry.BridgeTelemetry;
import io.jetstreambridge.runtime.telemetry.ProcessObservation;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Message;
import io.nats.client.impl.NatsJetStreamMetaData;
import jakarta.json.JsonValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * Handles one JetStream message to its end: decode, hand to the {@link DeliveryHandler}, then ack; or, when the
 * handler fails, nak with a delay or dead-letter as the {@link FailureClassifier} decides. A message whose
 * dead-letter copy cannot be stored is nak'ed, never acked, so nothing is lost.
 */
public final class MessageProcessor {

    private final Topology topology;
    private final EnvelopeCodec codec;
    private final DeliveryHandler handler;
    private final FailureClassifier classifier;
    private final DeadLetterPublisher deadLetters;
    private final BiFunction<JsonValue, Class<?>, Object> payloadReader;
    private final KeepAlive keepAlive;
    private final BridgeTelemetry telemetry;

    public MessageProcessor(Topology topology, EnvelopeCodec codec, DeliveryHandler handler,
                            FailureClassifier classifier, DeadLetterPublisher deadLetters,
                            BiFunction<JsonValue, Class<?>, Object> payloadReader, KeepAlive keepAlive) {
        this(topology, codec, handler, classifier, deadLetters, payloadReader, keepAlive, BridgeTelemetry.NONE);
    }

    public MessageProcessor(Topology topology, EnvelopeCodec codec, DeliveryHandler handler,
                            FailureClassifier classifier, DeadLetterPublisher deadLetters,
                            BiFunction<JsonValue, Class<?>, Object> payloadReader, KeepAlive keepAlive,
                            BridgeTelemetry telemetry) {
        this.topology = Objects.requireNonNull(topology, "topology");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.payloadReader = Objects.requireNonNull(payloadReader, "payloadReader");
        this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    /** Processes one message, keeping it alive while its observers run. */
    public void process(Message message) {
        try (KeepAlive.Beat beat = keepAlive.start(message)) {
            handle(message);
        }
    }

    /**
     * Processes a fetched batch in order. Every message of the batch is kept alive from the start, since with a
     * backoff list the server redelivers after the first step (not ack_wait) a message still waiting its turn.
     * Once {@code keepGoing} turns false the messages not started are nak'ed, to be redelivered at once.
     */
    public void processAll(List<Message> batch, BooleanSupplier keepGoing) {
        List<KeepAlive.Beat> beats = batch.stream().map(keepAlive::start).toList();
        for (int i = 0; i < batch.size(); i++) {
            try (KeepAlive.Beat beat = beats.get(i)) {
                if (keepGoing.getAsBoolean()) {
                    handle(batch.get(i));
                } else {
                    batch.get(i).nak();
                }
            }
        }
    }

    private void handle(Message message) {
        NatsJetStreamMetaData meta = message.metaData();
        Map<String, List<String>> headers = headers(message);
        try (ProcessObservation observation = telemetry.startProcess(message.getSubject(), headers,
                meta.deliveredCount())) {
            handle(message, meta, headers, observation);
        }
    }

    private void handle(Message message, NatsJetStreamMetaData meta, Map<String, List<String>> headers,
                        ProcessObservation observation) {
        long sequence = meta.streamSequence();
        long deliveries = meta.deliveredCount();
        Envelope envelope;
        try {
            envelope = codec.decode(message.getData());
        } catch (MalformedEnvelopeException e) {
            deadLetter(message, WireHeaders.eventId(headers, null, sequence), DeadLetterReason.MALFORMED_JSON, e,
                    deliveries, sequence, observation);
            return;
        }
        String eventId = WireHeaders.eventId(headers, envelope.eventId(), sequence);
        observation.received(eventId, envelope.eventType());
        JetstreamEvent event = new JetstreamEvent(eventId, envelope, message.getSubject(), meta.getStream(),
                sequence, deliveries, headers, payloadReader);
        try {
            handler.handle(event);
        } catch (Exception | LinkageError | AssertionError e) {
            observation.failed(e);
            FailureClassifier.Decision decision = classifier.classify(e, deliveries);
            if (decision.deadLetters()) {
                deadLetter(message, eventId, decision.reason(), e, deliveries, sequence, observation);
            } else {
                BridgeLog.handlerFailed(eventId, deliveries, decision.delay(), e);
                message.nakWithDelay(decision.delay());
                observation.nakked("handler_failed");
            }
            return;
        }
        message.ack();
        observation.acked();
    }

    private void deadLetter(Message message, String eventId, DeadLetterReason reason, Throwable error,
                            long deliveries, long sequence, ProcessObservation observation) {
        try {
            deadLetters.publish(message, eventId, reason, error, deliveries, sequence);
            BridgeLog.deadLettered(eventId, topology.dlqSubject(), reason.wireName(), error);
            message.ack();
            observation.deadLettered(reason.wireName());
        } catch (Exception e) {
            BridgeLog.deadLetterFailed(eventId, topology.dlqSubject(), e);
            message.nakWithDelay(classifier.nakDelay(deliveries));
            observation.nakked("dead_letter_failed");
        }
    }

    private static Map<String, List<String>> headers(Message message) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (message.getHeaders() != null) {
            message.getHeaders().entrySet().forEach(e -> headers.put(e.getKey(), List.copyOf(e.getValue())));
        }
        return headers;
    }
}
