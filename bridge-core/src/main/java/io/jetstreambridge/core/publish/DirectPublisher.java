package io.jetstreambridge.core.publish;

import io.jetstreambridge.core.Required;

import io.jetstreambridge.config.PublishSettings;
import io.jetstreambridge.envelope.Envelope;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishException;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.telemetry.PublishKind;
import io.jetstreambridge.core.telemetry.PublishObservation;
import io.jetstreambridge.core.telemetry.TraceHeaders;
import io.jetstreambridge.topology.Peers;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.ServerInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Publishes straight to JetStream (the outbox is off, or the outbox relay itself). Every attempt carries the same
 * {@code Nats-Msg-Id}, so a retry after a lost ack is dropped by the server instead of stored twice; the stream is
 * named as expected so a subject captured by another stream is refused rather than silently stored elsewhere.
 * Asynchronous retries are scheduled on the given executor, never by sleeping on a jnats thread; a synchronous
 * publish retries on the caller's thread, which waits anyway.
 */
public final class DirectPublisher implements Publisher {

    private final Connection connection;
    private final Peers peers;
    private final PublishSettings settings;
    private final EnvelopeFactory envelopes;
    private final EnvelopeCodec codec;
    private final PayloadMapper payloads;
    private final Executor executor;
    private final BridgeTelemetry telemetry;
    private final PublishPipeline pipeline;

    private DirectPublisher(Builder builder) {
        this.connection = builder.connection;
        this.peers = builder.peers;
        this.settings = builder.settings;
        this.envelopes = builder.envelopes;
        this.codec = builder.codec;
        this.payloads = builder.payloads;
        this.executor = builder.executor;
        this.telemetry = builder.telemetry;
        JetStream jetStream;
        try {
            jetStream = connection.jetStream();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a JetStream context on the connection", e);
        }
        this.pipeline = new PublishPipeline(jetStream, peers.stream(), settings.ackTimeout(),
                settings.asyncWindow(), executor);
    }

    /** A builder; every collaborator but the telemetry ({@link BridgeTelemetry#NONE} unless given) is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public PublishResult publish(OutgoingEvent event) {
        Prepared prepared = prepare(event);
        try {
            PublishResult result = sendAndWait(prepared);
            prepared.observation.succeeded();
            return result;
        } catch (PublishException e) {
            prepared.observation.failed(e);
            throw e;
        }
    }

    /**
     * The calling thread waits for each ack itself, as raw jnats' synchronous publish does (no future chain, no
     * timer per event), and waits out the retry delay on its own time: the caller is blocked either way.
     */
    private PublishResult sendAndWait(Prepared p) {
        for (int attempt = 1; ; attempt++) {
            PublishException oversized = oversized(p);
            if (oversized != null) {
                throw oversized;
            }
            try {
                return published(p, pipeline.attemptAndWait(p.message, p.options));
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                Throwable cause = PublishFailure.unwrap(e);
                if (!worthRetrying(cause, attempt)) {
                    throw asPublishException(p, cause, attempt);
                }
                BridgeLog.publishRetry(p.eventId, p.subject, attempt, String.valueOf(cause));
            }
            try {
                TimeUnit.NANOSECONDS.sleep(settings.retryWaits().after(attempt).toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw p.failure("interrupted while waiting to retry; the event may already be stored", attempt, e);
            }
        }
    }

    @Override
    public CompletionStage<PublishResult> publishAsync(OutgoingEvent event) {
        Prepared prepared = prepare(event);
        try {
            pipeline.enter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            PublishException failure = prepared.failure("interrupted while waiting for room in the publish window",
                    0, e);
            prepared.observation.failed(failure);
            throw failure;
        }
        // the caller's stages run on the executor (a managed thread in a server), not on the client's thread
        return observed(prepared).whenComplete((result, error) -> pipeline.leave())
                .whenCompleteAsync((result, error) -> { }, executor);
    }

    @Override
    public List<PublishResult> publishAll(List<OutgoingEvent> events) {
        List<Prepared> prepared = new ArrayList<>(events.size());
        try {
            events.forEach(event -> prepared.add(prepare(event)));
        } catch (RuntimeException e) { // invalid input: nothing is sent, so no started publish stays open
            prepared.forEach(p -> p.observation.failed(e));
            throw e;
        }
        List<CompletableFuture<PublishResult>> pending = new ArrayList<>(prepared.size());
        int oldestAwaited = 0;
        for (Prepared p : prepared) {
            try {
                oldestAwaited = enterWindow(pending, oldestAwaited);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                PublishException failure = p.failure("interrupted before the event was sent", 0, e);
                p.observation.failed(failure);
                pending.add(CompletableFuture.failedFuture(failure));
                continue;
            }
            pending.add(observed(p).whenComplete((result, error) -> pipeline.leave()));
        }
        List<PublishResult> results = new ArrayList<>(pending.size());
        for (int i = 0; i < pending.size(); i++) {
            Prepared p = prepared.get(i);
            results.add(pending.get(i).handle((result, error) -> error == null ? result
                    : PublishResult.failed(p.eventId, p.subject, asPublishException(p, error))).join());
        }
        return results;
    }

    /**
     * Takes a place in the window. When it is full, waits for this call's own oldest event to settle (which frees
     * its place) rather than on the semaphore: a waiter on the semaphore is woken by every single ack, while acks
     * arrive in bursts, so that cost a thread wake-up per event. Falls back to the semaphore when this call has
     * nothing in flight (other callers hold the window).
     *
     * @return the index of this call's oldest event not yet waited for
     */
    private int enterWindow(List<CompletableFuture<PublishResult>> pending, int oldestAwaited)
            throws InterruptedException {
        int oldest = oldestAwaited;
        while (!pipeline.tryEnter()) {
            if (oldest < pending.size()) {
                pending.get(oldest++).handle((result, error) -> null).join();
            } else {
                pipeline.enter();
                return oldest;
            }
        }
        return oldest;
    }

    /** The event ready to send; invalid input (an unknown or missing destination among them) throws. */
    private Prepared prepare(OutgoingEvent event) {
        String subject = peers.publishSubject(event);
        Envelope envelope = envelopes.create(event, payloads.toJson(event.payload()));
        byte[] body = codec.encode(envelope);
        PublishObservation observation = telemetry.startPublish(PublishKind.DIRECT, subject, envelope.eventType(),
                envelope.eventId(), null);
        try {
            Message message = PublishPipeline.message(subject,
                    TraceHeaders.merge(event.headers(), observation.propagationHeaders()), body);
            PublishOptions options = pipeline.options(envelope.eventId());
            return new Prepared(envelope.eventId(), subject, message, options, body.length, observation);
        } catch (RuntimeException e) {
            observation.failed(e);
            throw e;
        }
    }

    /** The first attempt, with the publish observed until its outcome (retries included). */
    private CompletableFuture<PublishResult> observed(Prepared p) {
        return send(p, 1).whenComplete(p.observation::completed);
    }

    private CompletableFuture<PublishResult> send(Prepared p, int attempt) {
        PublishException oversized = oversized(p);
        if (oversized != null) {
            return CompletableFuture.failedFuture(oversized);
        }
        // the outcome is sorted out on the completing thread: a hop to the executor per ack would cost a thread
        // hand-off per event; retries are scheduled on the executor by retryOrFail
        return sendOnce(p)
                .handle((ack, error) -> error == null
                        ? CompletableFuture.completedFuture(published(p, ack))
                        : retryOrFail(p, attempt, error))
                .thenCompose(Function.identity());
    }

    private CompletableFuture<PublishResult> retryOrFail(Prepared p, int attempt, Throwable error) {
        Throwable cause = PublishFailure.unwrap(error);
        if (!worthRetrying(cause, attempt)) {
            return CompletableFuture.failedFuture(asPublishException(p, cause, attempt));
        }
        BridgeLog.publishRetry(p.eventId, p.subject, attempt, String.valueOf(cause));
        return pipeline.after(settings.retryWaits().after(attempt), () -> send(p, attempt + 1));
    }

    /** @param cause the failure as {@link PublishFailure#unwrap} leaves it */
    private boolean worthRetrying(Throwable cause, int attempt) {
        return !(cause instanceof PublishException) && PublishFailure.of(cause).isTransient()
                && attempt < settings.maxAttempts();
    }

    /** A failure when the event is larger than the connected server accepts, else {@code null}. */
    private PublishException oversized(Prepared p) {
        ServerInfo server = connection.getServerInfo();
        if (server != null && server.getMaxPayload() > 0 && p.size > server.getMaxPayload()) {
            return p.failure("the message is " + p.size + " bytes but the server accepts at most "
                    + server.getMaxPayload() + " (max_payload); nothing was sent", 1, null);
        }
        return null;
    }

    private static PublishResult published(Prepared p, PublishAck ack) {
        return PublishResult.published(p.eventId, p.subject, ack.getStream(), ack.getSeqno(), ack.isDuplicate());
    }

    private CompletableFuture<PublishAck> sendOnce(Prepared p) {
        return pipeline.attempt(p.message, p.options);
    }

    private PublishException asPublishException(Prepared p, Throwable error) {
        return asPublishException(p, PublishFailure.unwrap(error), settings.maxAttempts());
    }

    private PublishException asPublishException(Prepared p, Throwable cause, int attempts) {
        if (cause instanceof PublishException known) {
            return known;
        }
        String why = PublishFailure.of(cause).isTransient()
                ? "JetStream did not ack after " + attempts + " attempts (each waiting "
                        + settings.ackTimeout().toMillis() + " ms)"
                : "JetStream refused the event";
        return p.failure(why + ": " + cause, attempts, cause);
    }

    private final class Prepared {
        final String eventId;
        final String subject;
        final Message message;
        final PublishOptions options;
        final int size;
        final PublishObservation observation;

        Prepared(String eventId, String subject, Message message, PublishOptions options, int size,
                 PublishObservation observation) {
            this.eventId = eventId;
            this.subject = subject;
            this.message = message;
            this.options = options;
            this.size = size;
            this.observation = observation;
        }

        PublishException failure(String message, int attempts, Throwable cause) {
            return new PublishException(message, eventId, subject, peers.stream(), attempts, cause);
        }
    }

    /**
     * Builds a {@link DirectPublisher}: explicit collaborators, checked together at {@link #build()} (every
     * missing one named in one message), one immutable publisher as the result.
     */
    public static final class Builder {
        private Connection connection;
        private Peers peers;
        private PublishSettings settings;
        private EnvelopeFactory envelopes;
        private EnvelopeCodec codec;
        private PayloadMapper payloads;
        private Executor executor;
        private BridgeTelemetry telemetry = BridgeTelemetry.NONE;

        private Builder() {
        }

        /** The connection to publish on; its server's {@code max_payload} bounds an event's size. */
        public Builder connection(Connection connection) {
            this.connection = connection;
            return this;
        }

        /**
         * The application's peers: where an event goes ({@link Peers#publishSubject}) and the stream (the primary
         * peer's, which all peers share).
         */
        public Builder peers(Peers peers) {
            this.peers = peers;
            return this;
        }

        /** The one-peer case of {@link #peers}: this peer's subjects and stream. */
        public Builder topology(Topology topology) {
            this.peers = topology == null ? null : Peers.of(topology);
            return this;
        }

        /** Ack timeout, attempts, retry waits and window ({@code publish.*}). */
        public Builder settings(PublishSettings settings) {
            this.settings = settings;
            return this;
        }

        public Builder envelopes(EnvelopeFactory envelopes) {
            this.envelopes = envelopes;
            return this;
        }

        public Builder codec(EnvelopeCodec codec) {
            this.codec = codec;
            return this;
        }

        public Builder payloads(PayloadMapper payloads) {
            this.payloads = payloads;
            return this;
        }

        /** Where retries wait, ack deadlines are swept and the caller's stages of {@code publishAsync} run. */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /** Optional: {@link BridgeTelemetry#NONE} unless given. */
        public Builder telemetry(BridgeTelemetry telemetry) {
            this.telemetry = telemetry;
            return this;
        }

        /**
         * @throws IllegalStateException naming every missing collaborator, or when the connection cannot open a
         *                               JetStream context
         */
        public DirectPublisher build() {
            Required.of("DirectPublisher").check("connection", connection).check("peers", peers)
                    .check("settings", settings).check("envelopes", envelopes).check("codec", codec)
                    .check("payloads", payloads).check("executor", executor).check("telemetry", telemetry)
                    .orThrow();
            return new DirectPublisher(this);
        }
    }
}
