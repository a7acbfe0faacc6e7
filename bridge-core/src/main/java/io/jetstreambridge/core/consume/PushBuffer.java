package io.jetstreambridge.core.consume;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One push worker's membership in the queue group, with the messages the server sent it waiting in a local queue.
 *
 * <p>The server pushes up to the durable's {@code max_ack_pending} messages ahead of the workers, and with a
 * backoff list it redelivers any message not acked within the first step (1 s by default), also one that merely
 * waits in this instance for its worker. So each message is kept alive (in-progress acks, as while its observers
 * run) from the moment it arrives until its worker asks for the next one; while the worker handles it, this
 * overlaps the processor's own keep-alive. jnats' dispatcher only moves messages into the queue (and starts their
 * keep-alive); the worker takes them from there. Status messages (flow control, heartbeats) pass through as they
 * come.
 *
 * <p>Used by one worker thread; only the dispatcher thread calls {@link #arrived}.
 */
final class PushBuffer {

    private final Connection connection;
    private final Dispatcher dispatcher;
    private final BlockingQueue<Waiting> waiting = new LinkedBlockingQueue<>();
    private final Function<Message, KeepAlive.Beat> keepAlive;
    private boolean closed; // guarded by this: a message arriving after close() is handed back, not kept alive
    private KeepAlive.Beat handedOut;

    private record Waiting(Message message, KeepAlive.Beat beat) {
    }

    private PushBuffer(Connection connection, Function<Message, KeepAlive.Beat> keepAlive) {
        this.connection = connection;
        this.keepAlive = keepAlive;
        this.dispatcher = connection.createDispatcher(this::arrived);
    }

    /** Joins the queue group on the delivery subject; every message is kept alive with {@code keepAlive}. */
    static PushBuffer subscribe(Connection connection, String deliverSubject, String queueGroup,
                                Function<Message, KeepAlive.Beat> keepAlive) {
        PushBuffer buffer = new PushBuffer(connection, keepAlive);
        buffer.dispatcher.subscribe(deliverSubject, queueGroup);
        return buffer;
    }

    private synchronized void arrived(Message message) {
        if (message.isStatusMessage()) {
            waiting.add(new Waiting(message, null));
        } else if (closed) {
            nakQuietly(message);
        } else {
            waiting.add(new Waiting(message, keepAlive.apply(message)));
        }
    }

    /**
     * The next message, waiting at most {@code timeout}, or null. Ends the keep-alive of the message handed out
     * before, which the worker has finished.
     */
    Message nextMessage(Duration timeout) throws InterruptedException {
        endHandedOut();
        Waiting next = waiting.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (next == null) {
            return null;
        }
        handedOut = next.beat();
        return next.message();
    }

    /** Whether the membership still stands (jnats restores it after a reconnect by itself). */
    boolean isActive() {
        return dispatcher.isActive();
    }

    /**
     * Leaves the queue group and waits, at most {@code timeout}, until every message the server sent this member
     * is in the local queue, for the worker to hand back.
     */
    void drain(Duration timeout) throws InterruptedException {
        try {
            dispatcher.drain(timeout).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // the connection is going: what is left is redelivered by the server after the ack wait
        }
    }

    /**
     * Stops every keep-alive, hands the messages still waiting back to the server (nak, so another member gets
     * them at once) and leaves the queue group. Never throws: the connection may already be gone, and then the
     * server redelivers after the ack wait.
     */
    void close() {
        synchronized (this) {
            closed = true;
        }
        try {
            connection.closeDispatcher(dispatcher);
        } catch (RuntimeException ignored) {
            // the connection is closed, and its dispatchers with it
        }
        endHandedOut();
        Waiting left;
        while ((left = waiting.poll()) != null) {
            if (left.beat() != null) {
                left.beat().close();
                nakQuietly(left.message());
            }
        }
    }

    /** {@link #close()} unless null; returns null, for {@code buffer = closeQuietly(buffer)}. */
    static PushBuffer closeQuietly(PushBuffer buffer) {
        if (buffer != null) {
            buffer.close();
        }
        return null;
    }

    private void endHandedOut() {
        if (handedOut != null) {
            handedOut.close();
            handedOut = null;
        }
    }

    private static void nakQuietly(Message message) {
        try {
            message.nak();
        } catch (RuntimeException ignored) {
            // the connection is gone: the server redelivers after the ack wait
        }
    }
}
