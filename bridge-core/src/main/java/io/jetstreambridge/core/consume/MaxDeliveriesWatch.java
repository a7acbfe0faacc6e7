package io.jetstreambridge.core.consume;

import io.jetstreambridge.core.connection.JetStreamErrors;
import io.jetstreambridge.core.deadletter.DeadLetterPublisher;
import io.jetstreambridge.core.deadletter.DeadLetterReason;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.MalformedEnvelopeException;
import io.jetstreambridge.envelope.WireHeaders;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.MessageInfo;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The safety net for a message the server gave up on: whatever the cause (a delivery the bridge never saw, a
 * foreign subscriber on the durable, a durable whose {@code max_deliver} is the bridge's own threshold), once the
 * server has used up its {@code max_deliver} without an ack it never delivers the message again, and in the
 * work-queue stream the message stays forever. The server announces it with the {@code MAX_DELIVERIES} advisory on
 * {@code $JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{stream}.{durable}}, whose {@code stream_seq} names the
 * message. The watch reads the message by that sequence, copies it to the DLQ with reason
 * {@code max_deliver_exceeded} (with the DLQ off: only logs it) and deletes it from the stream.
 *
 * <p>Idempotent, since every instance of the application receives the advisory: the copy's {@code Nats-Msg-Id}
 * {@code {event_id}:dlq} makes a second copy a duplicate JetStream drops, a message already gone is "not found"
 * and skipped, and so is a delete that comes second. Advisories are core NATS messages, sent at most once: one sent
 * while no instance listens is lost, so {@link #start()} also moves what {@link UndeliverableMessages} finds then.
 */
public final class MaxDeliveriesWatch implements AutoCloseable {

    static final int SWEPT_AT_START = 1000;

    /** What became of a message named by an advisory. */
    public enum Outcome {
        /** Copied to the DLQ and deleted from the stream. */
        DEAD_LETTERED,
        /** With the DLQ off: logged and deleted. */
        REMOVED,
        /** Not in the stream (any more), or not on the consumer's subject: nothing to do. */
        GONE
    }

    private final Connection connection;
    private final JetStreamManagement jsm;
    private final Topology topology;
    private final DeadLetterPublisher deadLetters;
    private final EnvelopeCodec codec;
    private final JsonProvider json;
    private final BridgeTelemetry telemetry;
    private Dispatcher dispatcher;

    /** @param deadLetters the DLQ publisher; null when the DLQ is off */
    public MaxDeliveriesWatch(Connection connection, Topology topology, DeadLetterPublisher deadLetters,
                              EnvelopeCodec codec, JsonProvider json, BridgeTelemetry telemetry) throws IOException {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.jsm = connection.jetStreamManagement();
        this.topology = Objects.requireNonNull(topology, "topology");
        if (topology.dlqEnabled() != (deadLetters != null)) {
            throw new IllegalArgumentException("a DLQ publisher is needed exactly when the DLQ is on");
        }
        this.deadLetters = deadLetters;
        this.codec = Objects.requireNonNull(codec, "codec");
        this.json = Objects.requireNonNull(json, "json");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    public static String advisorySubject(Topology topology) {
        return "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + topology.stream() + "." + topology.durableName();
    }

    /** Subscribes to the advisory, then moves what was given up on while nobody listened. */
    public synchronized MaxDeliveriesWatch start() {
        if (dispatcher == null) {
            dispatcher = connection.createDispatcher(this::onAdvisory);
            dispatcher.subscribe(advisorySubject(topology));
        }
        try {
            moveUndeliverable(SWEPT_AT_START);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            BridgeLog.maxDeliveriesFailed(topology.stream(), 0, e);
        }
        return this;
    }

    /**
     * Moves the messages {@link UndeliverableMessages} finds now, at most {@code limit}, as if their advisories had
     * arrived (for advisories nobody received). Needs no subscription.
     *
     * @return the stream sequences of the messages moved (or removed, with the DLQ off)
     */
    public List<Long> moveUndeliverable(int limit) throws IOException, JetStreamApiException {
        List<Long> moved = new java.util.ArrayList<>();
        for (long sequence : new UndeliverableMessages(jsm, topology).find(limit)) {
            if (handle(sequence, 0) != Outcome.GONE) {
                moved.add(sequence);
            }
        }
        return moved;
    }

    private void onAdvisory(Message advisory) {
        long sequence = 0;
        try {
            JsonObject body;
            try (var reader = json.createReader(new StringReader(
                    new String(advisory.getData(), StandardCharsets.UTF_8)))) {
                body = reader.readObject();
            }
            sequence = body.getJsonNumber("stream_seq").longValue();
            JsonNumber deliveries = body.getJsonNumber("deliveries");
            handle(sequence, deliveries == null ? 0 : deliveries.longValue());
        } catch (IOException | JetStreamApiException | RuntimeException e) { // an unreadable advisory too
            BridgeLog.maxDeliveriesFailed(topology.stream(), sequence, e);
        }
    }

    /**
     * Moves the message at this stream sequence, one the server gave up on, to the DLQ and deletes it. Throws when
     * the copy cannot be stored: the message then stays (health shows it) and nothing is deleted.
     *
     * @param deliveries the server's delivery count from the advisory; 0 when unknown
     */
    public Outcome handle(long sequence, long deliveries) throws IOException, JetStreamApiException {
        MessageInfo stored;
        try {
            stored = jsm.getMessage(topology.stream(), sequence);
        } catch (JetStreamApiException e) {
            if (JetStreamErrors.is(e, JetStreamErrors.NO_MESSAGE_FOUND)) {
                return Outcome.GONE;
            }
            throw e;
        }
        if (!topology.consumeSubject().equals(stored.getSubject())) {
            return Outcome.GONE;
        }
        String eventId = eventId(stored);
        String why = "the server delivered it " + (deliveries > 0 ? deliveries + " times, its max_deliver, "
                : "up to its max_deliver ") + "without an ack and will not deliver it again "
                + "(MAX_DELIVERIES advisory of consumer " + topology.durableName() + ")";
        Outcome outcome;
        if (deadLetters != null) {
            deadLetters.publish(stored, eventId, DeadLetterReason.MAX_DELIVER_EXCEEDED, why, deliveries);
            outcome = Outcome.DEAD_LETTERED;
        } else {
            outcome = Outcome.REMOVED;
        }
        if (!delete(sequence)) {
            return Outcome.GONE; // another instance was quicker; its copy is the same message id
        }
        BridgeLog.maxDeliveriesHandled(eventId, topology.stream(), sequence, deliveries,
                outcome == Outcome.DEAD_LETTERED ? "copied to " + topology.dlqSubject()
                        : "not copied anywhere: the dead-letter queue is off");
        telemetry.maxDeliveriesReached(stored.getSubject(),
                outcome == Outcome.DEAD_LETTERED ? "dead_letter" : "removed");
        return outcome;
    }

    private String eventId(MessageInfo stored) {
        Map<String, List<String>> headers = stored.getHeaders() == null ? Map.of() : stored.getHeaders().toMap();
        String bodyEventId;
        try {
            bodyEventId = codec.decode(stored.getData()).eventId();
        } catch (MalformedEnvelopeException e) {
            bodyEventId = null;
        }
        return WireHeaders.eventId(headers, bodyEventId, stored.getSeq());
    }

    private boolean delete(long sequence) throws IOException, JetStreamApiException {
        try {
            return jsm.deleteMessage(topology.stream(), sequence, false);
        } catch (JetStreamApiException e) {
            if (JetStreamErrors.is(e, JetStreamErrors.NO_MESSAGE_FOUND)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (dispatcher != null && connection.getStatus() != Connection.Status.CLOSED) {
            // a closed connection (max-reconnects used up) has already ended its dispatchers and refuses to
            // close one again
            connection.closeDispatcher(dispatcher);
        }
        dispatcher = null;
    }
}
