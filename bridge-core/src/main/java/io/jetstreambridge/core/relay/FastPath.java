package io.jetstreambridge.core.relay;

import io.jetstreambridge.core.outbox.OutboxRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The fast path after commit: collects the outbox rows of committed transactions as they were written (id, subject,
 * envelope, headers: all the relay publishes) and relays them on the executor, all that are waiting at once (up to
 * the relay's batch size per round) with one drain running at a time. Under load many commits share one claim of
 * their ids, one pipelined publish and one update, instead of two transactions and an ack wait per commit; when
 * quiet a lone commit is relayed at once. The rows are published from here, never read back from the table.
 *
 * <p>Rows beyond {@code maxQueued}, or beyond {@code maxQueuedChars} of text (envelopes and headers: what holding rows
 * instead of ids costs), are not queued: they stay pending and the sweeper publishes them (read from the table) after
 * the grace period, so a stalled relay (NATS down) cannot make this queue grow without bound.
 */
public final class FastPath {

    private final OutboxRelay relay;
    private final Executor executor;
    private final int batchSize;
    private final int maxQueued;
    private final long maxQueuedChars;
    private final Consumer<RuntimeException> onFailure;
    private final Queue<OutboxRecord> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong chars = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** Characters of rows waiting at most when not given: 32 Mi characters, about 64 MB of strings. */
    public static final long DEFAULT_MAX_QUEUED_CHARS = 32L * 1024 * 1024;

    /** With a budget of {@link #DEFAULT_MAX_QUEUED_CHARS}. */
    public FastPath(OutboxRelay relay, Executor executor, int batchSize, int maxQueued,
                    Consumer<RuntimeException> onFailure) {
        this(relay, executor, batchSize, maxQueued, DEFAULT_MAX_QUEUED_CHARS, onFailure);
    }

    /**
     * @param maxQueued      rows waiting at most
     * @param maxQueuedChars characters of waiting rows at most ({@link #charsOf})
     * @param onFailure      told when a round fails (the rows stay pending for the sweeper); must not throw
     */
    public FastPath(OutboxRelay relay, Executor executor, int batchSize, int maxQueued, long maxQueuedChars,
                    Consumer<RuntimeException> onFailure) {
        this.relay = Objects.requireNonNull(relay, "relay");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.batchSize = batchSize;
        this.maxQueued = maxQueued;
        this.maxQueuedChars = maxQueuedChars;
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /** Hands over the rows of a committed transaction as written ({@link OutboxRecord#written}); returns at once. */
    public void committed(Collection<OutboxRecord> rows) {
        for (OutboxRecord row : rows) {
            long weight = charsOf(row);
            int count = size.incrementAndGet();
            long total = chars.addAndGet(weight);
            if (count > maxQueued || total > maxQueuedChars) {
                size.decrementAndGet();
                chars.addAndGet(-weight);
                break; // the sweeper takes the rest after the grace period
            }
            queued.add(row);
        }
        schedule();
    }

    private void schedule() {
        if (!queued.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RuntimeException e) {
                draining.set(false);
                onFailure.accept(e);
            }
        }
    }

    private void drain() {
        try {
            for (List<OutboxRecord> round = take(); !round.isEmpty(); round = take()) {
                try {
                    relay.relayCommitted(round);
                } catch (RuntimeException e) {
                    onFailure.accept(e);
                }
            }
        } finally {
            draining.set(false);
        }
        schedule(); // ids queued after the last take, while this drain was still marked running
    }

    /** What a waiting row holds in text: envelope, subject, event id and headers. */
    static long charsOf(OutboxRecord row) {
        long headers = 0;
        for (var header : row.headers().entrySet()) {
            headers += header.getKey().length() + header.getValue().length();
        }
        return row.body().length() + row.subject().length() + row.eventId().length() + headers;
    }

    private List<OutboxRecord> take() {
        List<OutboxRecord> round = new ArrayList<>();
        while (round.size() < batchSize) {
            OutboxRecord row = queued.poll();
            if (row == null) {
                break;
            }
            round.add(row);
            size.decrementAndGet();
            chars.addAndGet(-charsOf(row));
        }
        return round;
    }
}
