package io.jetstreambridge.relay;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The fast path after commit: collects the outbox row ids of committed transactions and relays them on the
 * executor, all that are waiting at once (up to the relay's batch size per round) with one drain running at a
 * time. Under load many commits share one claim, one pipelined publish and one update, instead of two
 * transactions and an ack wait per commit; when quiet a lone commit is relayed at once.
 *
 * <p>Ids beyond {@code maxQueued} are not queued: their rows stay pending and the sweeper publishes them after the
 * grace period, so a stalled relay (NATS down) cannot make this queue grow without bound.
 */
public final class FastPath {

    private final OutboxRelay relay;
    private final Executor executor;
    private final int batchSize;
    private final int maxQueued;
    private final Consumer<RuntimeException> onFailure;
    private final Queue<Long> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** @param onFailure told when a round fails (the rows stay pending for the sweeper); must not throw */
    public FastPath(OutboxRelay relay, Executor executor, int batchSize, int maxQueued,
                    Consumer<RuntimeException> onFailure) {
        this.relay = Objects.requireNonNull(relay, "relay");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.batchSize = batchSize;
        this.maxQueued = maxQueued;
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /** Hands over the ids of a committed transaction; returns at once. */
    public void committed(Collection<Long> ids) {
        for (Long id : ids) {
            if (size.incrementAndGet() > maxQueued) {
                size.decrementAndGet();
                break; // the sweeper takes the rest after the grace period
            }
            queued.add(id);
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
            for (List<Long> round = take(); !round.isEmpty(); round = take()) {
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

    private List<Long> take() {
        List<Long> round = new ArrayList<>();
        while (round.size() < batchSize) {
            Long id = queued.poll();
            if (id == null) {
                break;
            }
            round.add(id);
            size.decrementAndGet();
        }
        return round;
    }
}
