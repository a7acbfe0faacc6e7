package io.jetstreambridge.core.publish;

import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The publish pipeline both the direct publisher ({@link DirectPublisher}) and the outbox relay send through,
 * so the two cannot drift: the NATS message (subject, headers, body), the options ({@code Nats-Msg-Id} = event id,
 * the expected stream), a bounded window of pipelined {@code publishAsync} calls, the ack deadline of each
 * ({@link AckDeadlines}), what a failure means ({@link PublishFailure}) and the scheduling of a retry after its
 * wait. What each path does with a failure stays with the path: the direct publisher retries transient failures
 * up to {@code publish.max-attempts}; the relay records the attempt on the row and retries in a later round.
 */
public final class PublishPipeline {

    private final JetStream jetStream;
    private final String stream;
    private final Duration ackTimeout;
    private final Semaphore window;
    private final AckDeadlines deadlines;
    private final Executor executor;

    /**
     * @param stream     the stream every message must land in ({@code Nats-Expected-Stream})
     * @param ackTimeout how long an attempt waits for JetStream's ack
     * @param window     publishes in flight at once
     * @param executor   where the ack deadlines are swept and retries run after their wait
     */
    public PublishPipeline(JetStream jetStream, String stream, Duration ackTimeout, int window, Executor executor) {
        this.jetStream = Objects.requireNonNull(jetStream, "jetStream");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.ackTimeout = Objects.requireNonNull(ackTimeout, "ackTimeout");
        if (window < 1) {
            throw new IllegalArgumentException("the publish window must hold at least one publish: " + window);
        }
        this.window = new Semaphore(window);
        this.executor = Objects.requireNonNull(executor, "executor");
        this.deadlines = new AckDeadlines(ackTimeout, executor);
    }

    /**
     * The message as it goes on the wire: the headers in the map's order; a header jnats refuses is named in the
     * {@link IllegalArgumentException}.
     */
    public static Message message(String subject, Map<String, String> headers, byte[] body) {
        Headers natsHeaders = new Headers();
        headers.forEach((name, value) -> {
            try {
                natsHeaders.add(name, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("header '" + name + "' cannot be sent: " + e.getMessage(), e);
            }
        });
        return NatsMessage.builder().subject(subject).headers(natsHeaders).data(body).build();
    }

    /**
     * The options of every attempt of one event: {@code Nats-Msg-Id} = the event id, so JetStream drops a retry's
     * copy inside its duplicate window, and the expected stream, so a subject another stream captured is refused
     * rather than stored elsewhere.
     */
    public PublishOptions options(String eventId) {
        return PublishOptions.builder().messageId(eventId).expectedStream(stream).streamTimeout(ackTimeout).build();
    }

    /** The stream messages must land in. */
    public String stream() {
        return stream;
    }

    /** How long an attempt waits for its ack. */
    public Duration ackTimeout() {
        return ackTimeout;
    }

    /** Takes a place in the window, waiting for one. */
    public void enter() throws InterruptedException {
        window.acquire();
    }

    /** Takes a place in the window if one is free now. */
    public boolean tryEnter() {
        return window.tryAcquire();
    }

    /** Gives back a place taken with {@link #enter} or {@link #tryEnter}. */
    public void leave() {
        window.release();
    }

    /** Places in the window free now. */
    int room() {
        return window.availablePermits();
    }

    /**
     * One attempt, pipelined: completes with the ack, or exceptionally (a {@link java.util.concurrent.TimeoutException}
     * when no ack came within the ack timeout). Takes no place in the window: the caller holds one.
     */
    public CompletableFuture<PublishAck> attempt(Message message, PublishOptions options) {
        try {
            return deadlines.watch(jetStream.publishAsync(message, options));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** One attempt on the calling thread, which waits for the ack itself (at most the ack timeout). */
    public PublishAck attemptAndWait(Message message, PublishOptions options)
            throws IOException, JetStreamApiException {
        return jetStream.publish(message, options);
    }

    /**
     * One attempt in a place of the window, given back when it completes. While {@code connected} says no, nothing
     * is sent (so nothing waits in jnats' reconnect buffer): the attempt fails with an
     * {@link IllegalStateException}, which {@link PublishFailure#of} sees as {@link PublishFailure#UNANSWERED}.
     */
    public CompletableFuture<PublishAck> attemptInWindow(Message message, PublishOptions options,
                                                         BooleanSupplier connected) {
        try {
            enter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        if (!connected.getAsBoolean()) {
            leave();
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "NATS connection lost during the relay round; not published"));
        }
        return attempt(message, options).whenComplete((ack, error) -> leave());
    }

    /** Runs {@code next} after {@code wait} on the executor, never sleeping on a jnats thread. */
    public <T> CompletableFuture<T> after(Duration wait, Supplier<CompletableFuture<T>> next) {
        Executor later = CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS, executor);
        return CompletableFuture.supplyAsync(() -> null, later).thenCompose(ignored -> next.get());
    }
}
