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

import java.util.ArrayList;
import java.util.IdentityHashMap;
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

    /**
     * Keeps a message that waits in this instance for a free worker from being redelivered meanwhile (push mode);
     * close the result once the message is handled.
     */
    public KeepAlive.Beat keepWaiting(Message message) {
        return keepAlive.start(message);
    }

    /** Processes one message, keeping it alive while its observers run. */
    public void process(Message message) {
        try (KeepAlive.Beat beat = keepAlive.start(message)) {
            handle(message);
        }
    }

    /**
     * Processes a fetched batch: in one unit of work when the handler takes batches, else, or when that unit
     * fails, one message at a time in order. Every message of the batch is kept alive from the start, since with a
     * backoff list the server redelivers after the first step (not ack_wait) a message still waiting its turn.
     * Once {@code keepGoing} turns false the messages not started are nak'ed, to be redelivered at once.
     */
    public void processAll(List<Message> batch, BooleanSupplier keepGoing) {
        List<KeepAlive.Beat> beats = batch.stream().map(keepAlive::start).toList();
        boolean[] done = batch.size() > 1 && handler instanceof BatchDeliveryHandler together
                && keepGoing.getAsBoolean() ? handleTogether(batch, together) : new boolean[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            try (KeepAlive.Beat beat = beats.get(i)) {
                if (done[i]) {
                    continue;
                }
                if (keepGoing.getAsBoolean()) {
                    handle(batch.get(i));
                } else {
                    batch.get(i).nak();
                }
            }
        }
    }

    /**
     * One unit of work for the whole batch (one transaction): acks every message after it succeeds. When it fails
     * nothing of it took effect, and the messages are left to be handled one by one, so a poison message is
     * nak'ed or dead-lettered alone, exactly as without batching, while its neighbours go through.
     *
     * @return which messages are finished (acked, or dead-lettered because their body is not an envelope)
     */
    private boolean[] handleTogether(List<Message> batch, BatchDeliveryHandler together) {
        boolean[] done = new boolean[batch.size()];
        List<JetstreamEvent> events = new ArrayList<>(batch.size());
        List<Integer> positions = new ArrayList<>(batch.size());
        Map<JetstreamEvent, ProcessObservation> observations = new IdentityHashMap<>();
        try {
            for (int i = 0; i < batch.size(); i++) {
                Message message = batch.get(i);
                ProcessObservation observation = startObservation(message);
                JetstreamEvent event = decode(message, observation);
                if (event == null) {
                    observation.close();
                    done[i] = true;
                } else {
                    events.add(event);
                    positions.add(i);
                    observations.put(event, observation);
                }
            }
            if (events.size() < 2) {
                observations.values().forEach(ProcessObservation::retriedAlone);
                return done; // a lone event goes the single way, so a failure is not handled twice
            }
            try {
                together.handleAll(events, event -> observations.get(event).enter());
            } catch (Exception | LinkageError | AssertionError e) {
                BridgeLog.batchFallback(events.size(), e);
                observations.values().forEach(ProcessObservation::retriedAlone);
                return done;
            }
            for (int position : positions) {
                batch.get(position).ack();
                done[position] = true;
            }
            observations.values().forEach(ProcessObservation::acked);
            return done;
        } finally {
            observations.values().forEach(ProcessObservation::close);
        }
    }

    private void handle(Message message) {
        try (ProcessObservation observation = startObservation(message);
             ProcessObservation.Current current = observation.enter()) {
            handle(message, observation);
        }
    }

    private void handle(Message message, ProcessObservation observation) {
        JetstreamEvent event = decode(message, observation);
        if (event == null) {
            return;
        }
        long deliveries = event.deliveryCount();
        long sequence = event.streamSequence();
        String eventId = event.eventId();
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

    private ProcessObservation startObservation(Message message) {
        return telemetry.startProcess(message.getSubject(), headers(message), message.metaData().deliveredCount());
    }

    /** The event a message carries; null when its body is not an envelope, after dead-lettering it. */
    private JetstreamEvent decode(Message message, ProcessObservation observation) {
        NatsJetStreamMetaData meta = message.metaData();
        long sequence = meta.streamSequence();
        long deliveries = meta.deliveredCount();
        Map<String, List<String>> headers = headers(message);
        Envelope envelope;
        try {
            envelope = codec.decode(message.getData());
        } catch (MalformedEnvelopeException e) {
            deadLetter(message, WireHeaders.eventId(headers, null, sequence), DeadLetterReason.MALFORMED_JSON, e,
                    deliveries, sequence, observation);
            return null;
        }
        String eventId = WireHeaders.eventId(headers, envelope.eventId(), sequence);
        observation.received(eventId, envelope.eventType());
        return new JetstreamEvent(eventId, envelope, message.getSubject(), meta.getStream(),
                sequence, deliveries, headers, payloadReader);
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
