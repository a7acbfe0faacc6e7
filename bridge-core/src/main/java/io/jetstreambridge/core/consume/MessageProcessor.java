package io.jetstreambridge.core.consume;

import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.envelope.Envelope;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.MalformedEnvelopeException;
import io.jetstreambridge.envelope.WireHeaders;
import io.jetstreambridge.core.inbox.InboxConflictException;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.telemetry.ProcessObservation;
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
    private final DatabaseOutage outage;

    public MessageProcessor(Topology topology, EnvelopeCodec codec, DeliveryHandler handler,
                            FailureClassifier classifier, DeadLetterPublisher deadLetters,
                            BiFunction<JsonValue, Class<?>, Object> payloadReader, KeepAlive keepAlive) {
        this(topology, codec, handler, classifier, deadLetters, payloadReader, keepAlive, BridgeTelemetry.NONE);
    }

    public MessageProcessor(Topology topology, EnvelopeCodec codec, DeliveryHandler handler,
                            FailureClassifier classifier, DeadLetterPublisher deadLetters,
                            BiFunction<JsonValue, Class<?>, Object> payloadReader, KeepAlive keepAlive,
                            BridgeTelemetry telemetry) {
        this(topology, codec, handler, classifier, deadLetters, payloadReader, keepAlive, telemetry,
                DatabaseOutage.none());
    }

    /** @param outage holds messages, uncounted, while the consumer's database does not answer */
    public MessageProcessor(Topology topology, EnvelopeCodec codec, DeliveryHandler handler,
                            FailureClassifier classifier, DeadLetterPublisher deadLetters,
                            BiFunction<JsonValue, Class<?>, Object> payloadReader, KeepAlive keepAlive,
                            BridgeTelemetry telemetry, DatabaseOutage outage) {
        this.outage = Objects.requireNonNull(outage, "outage");
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

    /** Like {@link #processAll(List, BooleanSupplier, Runnable)}, telling no one of its progress. */
    public void processAll(List<Message> batch, BooleanSupplier keepGoing) {
        processAll(batch, keepGoing, () -> { });
    }

    /**
     * Processes a fetched batch: in one unit of work when the handler takes batches, else, or when that unit
     * fails, one message at a time in order. Every message is kept alive from the fetch on, since with a backoff
     * list the server redelivers after the first step (not ack_wait) a message still waiting its turn. Each step
     * (a message's own processing, or one event's observers inside the batch's unit of work) gives every message
     * of the batch a fresh processing timeout, so a message is kept alive until its own end however long its
     * neighbours took before it, as long as no single step outlasts the processing timeout. One that did leaves the
     * messages still waiting without keep-alive: the server may already be redelivering them, so they are not
     * handled here (JSB4032), which could run their observers twice at the same time, but left to that
     * redelivery. Once {@code keepGoing} turns false the messages not started are nak'ed, to be redelivered at
     * once. Whatever ends the batch early (an ack that cannot be sent while the connection closes), no message of
     * it is left with a running keep-alive.
     *
     * @param progress called when a step starts and when a message is finished: the engine's liveness signal
     */
    public void processAll(List<Message> batch, BooleanSupplier keepGoing, Runnable progress) {
        try (KeepAlive.Batch beats = keepAlive.startAll(batch)) {
            Runnable step = () -> {
                progress.run();
                beats.renew();
            };
            boolean[] done = batch.size() > 1 && handler instanceof BatchDeliveryHandler together
                    && keepGoing.getAsBoolean() ? handleTogether(batch, together, step) : new boolean[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                try (KeepAlive.Beat beat = beats.get(i)) {
                    if (done[i]) {
                        continue;
                    }
                    Message message = batch.get(i);
                    if (!keepGoing.getAsBoolean()) {
                        message.nak();
                    } else if (beat.renew()) {
                        step.run();
                        handle(message);
                        progress.run();
                    } else {
                        NatsJetStreamMetaData meta = message.metaData();
                        BridgeLog.keepAliveExpiredWhileWaiting(meta.streamSequence(), meta.deliveredCount(),
                                keepAlive.processingTimeout());
                    }
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
    private boolean[] handleTogether(List<Message> batch, BatchDeliveryHandler together, Runnable step) {
        boolean[] done = new boolean[batch.size()];
        List<JetstreamEvent> events = new ArrayList<>(batch.size());
        List<Integer> positions = new ArrayList<>(batch.size());
        Map<JetstreamEvent, ProcessObservation> observations = new IdentityHashMap<>();
        try {
            for (int i = 0; i < batch.size(); i++) {
                Message message = batch.get(i);
                Map<String, List<String>> headers = headers(message);
                ProcessObservation observation = startObservation(message, headers);
                JetstreamEvent event = decode(message, headers, observation);
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
                together.handleAll(events, event -> {
                    step.run();
                    return observations.get(event).enter();
                });
            } catch (Throwable e) { // whatever the observers threw: the events are tried alone, each classified
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
        Map<String, List<String>> headers = headers(message);
        try (ProcessObservation observation = startObservation(message, headers);
             ProcessObservation.Current current = observation.enter()) {
            handle(message, headers, observation);
        }
    }

    private void handle(Message message, Map<String, List<String>> headers, ProcessObservation observation) {
        JetstreamEvent event = decode(message, headers, observation);
        if (event == null) {
            return;
        }
        long deliveries = event.deliveryCount();
        long sequence = event.streamSequence();
        String eventId = event.eventId();
        try {
            if (!handOver(message, event)) {
                BridgeLog.heldMessageReturned(eventId, deliveries);
                message.nak();
                observation.nakked("database_unavailable");
                return;
            }
        } catch (InboxConflictException e) {
            // another delivery of the event holds or held its inbox row: not a failure, never dead-lettered
            BridgeLog.inboxConflict(eventId, deliveries, InboxConflictException.RETRY_DELAY);
            message.nakWithDelay(InboxConflictException.RETRY_DELAY);
            observation.nakked("inbox_conflict");
            return;
        } catch (Throwable e) { // Errors included: a StackOverflowError fails the message, not the worker
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                BridgeLog.observerVirtualMachineError(eventId, e);
            }
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

    /**
     * Hands the event to the handler; while the consumer's database does not answer, holds the message (kept
     * alive, the failure not counted) and hands it over again once it does.
     *
     * @return false when the consumer stopped while the message was held
     */
    private boolean handOver(Message message, JetstreamEvent event) throws Exception {
        while (true) {
            try {
                handler.handle(event);
                return true;
            } catch (Exception | LinkageError | AssertionError e) {
                if (!outage.confirms(e)) {
                    throw e;
                }
                try (KeepAlive.Beat held = keepAlive.hold(message)) {
                    if (!outage.awaitRecovery(() -> true)) {
                        return false;
                    }
                }
            }
        }
    }

    /**
     * Returns at once while the consumer's database answers; else waits until it does (true) or the consumer
     * stops (false): no message is fetched during an outage.
     */
    public boolean awaitDatabase(BooleanSupplier keepGoing) {
        return outage.awaitRecovery(keepGoing);
    }

    private ProcessObservation startObservation(Message message, Map<String, List<String>> headers) {
        return telemetry.startProcess(message.getSubject(), headers, message.metaData().deliveredCount());
    }

    /** The event a message carries; null when its body is not an envelope, after dead-lettering it. */
    private JetstreamEvent decode(Message message, Map<String, List<String>> headers,
                                  ProcessObservation observation) {
        NatsJetStreamMetaData meta = message.metaData();
        long sequence = meta.streamSequence();
        long deliveries = meta.deliveredCount();
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
        if (!topology.dlqEnabled()) {
            // nowhere to copy to: a publish to a subject outside the stream fails, and a nak would loop
            BridgeLog.terminated(eventId, reason.wireName(), deliveries, error);
            message.term();
            observation.terminated(reason.wireName());
            return;
        }
        try {
            deadLetters.publish(message, eventId, reason, error, deliveries, sequence);
            BridgeLog.deadLettered(eventId, topology.dlqSubject(), reason.wireName(), error);
            message.ack();
            observation.deadLettered(reason.wireName());
        } catch (Exception | Error e) {
            BridgeLog.deadLetterFailed(eventId, topology.dlqSubject(), e);
            message.nakWithDelay(classifier.nakDelay(deliveries));
            observation.nakked("dead_letter_failed");
        }
    }

    /** The message's headers, read once per message: immutable, so the event keeps them without a copy. */
    private static Map<String, List<String>> headers(Message message) {
        if (message.getHeaders() == null || message.getHeaders().isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        message.getHeaders().entrySet().forEach(e -> headers.put(e.getKey(), List.copyOf(e.getValue())));
        return Map.copyOf(headers);
    }
}
