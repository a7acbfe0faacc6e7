package io.jetstreambridge.core.relay;

import io.jetstreambridge.core.Required;
import io.jetstreambridge.core.outbox.OutboxRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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

    private FastPath(Builder builder) {
        this.relay = builder.relay;
        this.executor = builder.executor;
        this.batchSize = builder.batchSize;
        this.maxQueued = builder.maxQueued;
        this.maxQueuedChars = builder.maxQueuedChars;
        this.onFailure = builder.onFailure;
    }

    /**
     * Required: {@link Builder#relay}, {@link Builder#executor}, {@link Builder#batchSize},
     * {@link Builder#maxQueued}, {@link Builder#onFailure}; {@link Builder#maxQueuedChars} defaults to
     * {@link #DEFAULT_MAX_QUEUED_CHARS}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** How a {@link FastPath} is put together; {@link #build()} checks it. */
    public static final class Builder {

        private OutboxRelay relay;
        private Executor executor;
        private int batchSize;
        private int maxQueued;
        private long maxQueuedChars = DEFAULT_MAX_QUEUED_CHARS;
        private Consumer<RuntimeException> onFailure;

        private Builder() {
        }

        /** The relay whose rounds publish the rows. */
        public Builder relay(OutboxRelay relay) {
            this.relay = relay;
            return this;
        }

        /** Where the rounds run (the container's managed executor). */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /** Rows per round at most ({@code outbox.batch-size}). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Rows waiting at most; beyond them rows are the sweeper's. */
        public Builder maxQueued(int maxQueued) {
            this.maxQueued = maxQueued;
            return this;
        }

        /** Characters of waiting rows at most ({@link #charsOf}); beyond them rows are the sweeper's. */
        public Builder maxQueuedChars(long maxQueuedChars) {
            this.maxQueuedChars = maxQueuedChars;
            return this;
        }

        /** Told when a round fails (the rows stay pending for the sweeper); must not throw. */
        public Builder onFailure(Consumer<RuntimeException> onFailure) {
            this.onFailure = onFailure;
            return this;
        }

        /** @throws IllegalStateException naming every missing collaborator or setting */
        public FastPath build() {
            Required.of("FastPath").check("relay", relay).check("executor", executor)
                    .check("batchSize", batchSize > 0 ? batchSize : null)
                    .check("maxQueued", maxQueued > 0 ? maxQueued : null)
                    .check("maxQueuedChars", maxQueuedChars > 0 ? maxQueuedChars : null)
                    .check("onFailure", onFailure).orThrow();
            return new FastPath(this);
        }
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
