package io.jetstreambridge.testing.fakes;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.AckType;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.Status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JetStream message as a consumer receives it, without a server: its metadata (stream, consumer, sequence,
 * delivery count) comes from an ack reply subject as jnats parses it, and its acknowledgements are written to a
 * {@link Journal} ({@code ack 7}, {@code nak 7 PT1S}, {@code term 7}; in-progress acks only counted). An ack can be
 * made to fail, as on a closing connection.
 */
public final class FakeMessage implements Message {

    public static final String STREAM = "jetstream-bridge-stream";
    public static final String CONSUMER = "orders-workers";
    public static final String SUBJECT = "billing.sync.orders";

    private final String subject;
    private final byte[] data;
    private final Headers headers;
    private final String replyTo;
    private final long sequence;
    private final Journal journal;
    private final AtomicInteger inProgress = new AtomicInteger();
    private volatile RuntimeException ackFailure;
    private volatile AckType lastAck;

    private FakeMessage(String subject, byte[] data, Headers headers, long sequence, long deliveries,
                        Journal journal) {
        this.subject = subject;
        this.data = data;
        this.headers = headers;
        this.sequence = sequence;
        this.journal = journal;
        this.replyTo = "$JS.ACK." + STREAM + "." + CONSUMER + "." + deliveries + "." + sequence + "." + sequence
                + ".1700000000000000000.0";
    }

    /** Delivery {@code deliveries} of stream sequence {@code sequence}, with this body, on {@link #SUBJECT}. */
    public static FakeMessage delivered(long sequence, long deliveries, String body, Journal journal) {
        return new FakeMessage(SUBJECT, body.getBytes(StandardCharsets.UTF_8), null, sequence, deliveries, journal);
    }

    /** An envelope as the bridge publishes it: event id {@code e-{sequence}}, payload {@code {"id": sequence}}. */
    public static FakeMessage event(long sequence, long deliveries, Journal journal) {
        return delivered(sequence, deliveries, envelope("e-" + sequence, "invoice.created",
                "{\"id\":" + sequence + "}"), journal);
    }

    public static String envelope(String eventId, String eventType, String payloadJson) {
        return "{\"event_id\":\"" + eventId + "\",\"event_type\":\"" + eventType + "\",\"schema_version\":1,"
                + "\"payload\":" + payloadJson + "}";
    }

    /** Every later {@link #ack()} throws this. */
    public FakeMessage ackFails(RuntimeException failure) {
        this.ackFailure = failure;
        return this;
    }

    public int inProgressCount() {
        return inProgress.get();
    }

    public long sequence() {
        return sequence;
    }

    @Override
    public String getSubject() {
        return subject;
    }

    @Override
    public String getReplyTo() {
        return replyTo;
    }

    @Override
    public boolean hasHeaders() {
        return headers != null && !headers.isEmpty();
    }

    @Override
    public Headers getHeaders() {
        return headers;
    }

    @Override
    public boolean isStatusMessage() {
        return false;
    }

    @Override
    public Status getStatus() {
        return null;
    }

    @Override
    public byte[] getData() {
        return data;
    }

    @Override
    public boolean isUtf8mode() {
        return false;
    }

    @Override
    public Subscription getSubscription() {
        return null;
    }

    @Override
    public String getSID() {
        return null;
    }

    @Override
    public Connection getConnection() {
        return null;
    }

    /** Parsed by jnats itself from the reply subject, as for a real delivery. */
    @Override
    public NatsJetStreamMetaData metaData() {
        return new NatsJetStreamMetaData(new NatsMessage(subject, replyTo, data) {
            @Override
            public boolean isJetStream() {
                return true;
            }
        });
    }

    @Override
    public AckType lastAck() {
        return lastAck;
    }

    @Override
    public void ack() {
        RuntimeException failure = ackFailure;
        if (failure != null) {
            journal.add("ack failed " + sequence);
            throw failure;
        }
        acked(AckType.AckAck, "ack " + sequence);
    }

    @Override
    public void ackSync(Duration timeout) {
        ack();
    }

    @Override
    public void nak() {
        acked(AckType.AckNak, "nak " + sequence);
    }

    @Override
    public void nakWithDelay(Duration delay) {
        acked(AckType.AckNak, "nak " + sequence + " " + delay);
    }

    @Override
    public void nakWithDelay(long nanos) {
        nakWithDelay(Duration.ofNanos(nanos));
    }

    @Override
    public void term() {
        acked(AckType.AckTerm, "term " + sequence);
    }

    @Override
    public void inProgress() {
        inProgress.incrementAndGet();
    }

    @Override
    public boolean isJetStream() {
        return true;
    }

    private void acked(AckType type, String entry) {
        lastAck = type;
        journal.add(entry);
    }

    @Override
    public String toString() {
        return "fake message " + sequence;
    }
}
