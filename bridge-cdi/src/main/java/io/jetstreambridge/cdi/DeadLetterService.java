package io.jetstreambridge.cdi;

import io.jetstreambridge.core.deadletter.BulkReplay;
import io.jetstreambridge.core.deadletter.DeadLetter;
import io.jetstreambridge.core.deadletter.DeadLetterFilter;
import io.jetstreambridge.core.deadletter.DeadLetterOperations;
import io.jetstreambridge.core.deadletter.DeadLetterPage;
import io.jetstreambridge.core.deadletter.DeadLetterQueue;
import io.jetstreambridge.core.deadletter.ReplayResult;

import io.jetstreambridge.cdi.BridgeRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * {@link DeadLetterOperations} for CDI applications ({@code @Inject DeadLetterOperations} or
 * {@code @Inject DeadLetterService}): a {@link DeadLetterQueue} on the bridge's own connection, built at the first
 * call. With lazy connect, calls before the first connection fail with {@code ConnectionFailedException}.
 */
@ApplicationScoped
public class DeadLetterService implements DeadLetterOperations {

    @Inject
    BridgeRuntime bridge;

    private DeadLetterQueue queue;

    private synchronized DeadLetterQueue queue() {
        if (queue == null) {
            queue = DeadLetterQueue.of(bridge.connection(), bridge.config().topology());
        }
        return queue;
    }

    @Override
    public String subject() {
        return bridge.config().topology().dlqSubject();
    }

    @Override
    public String stream() {
        return bridge.config().topology().stream();
    }

    @Override
    public long count() {
        return queue().count();
    }

    @Override
    public DeadLetterPage list(long fromSequence, int limit) {
        return queue().list(fromSequence, limit);
    }

    @Override
    public Optional<DeadLetter> inspect(long sequence) {
        return queue().inspect(sequence);
    }

    @Override
    public ReplayResult replay(long sequence) {
        return queue().replay(sequence);
    }

    @Override
    public BulkReplay replayMatching(DeadLetterFilter filter, long fromSequence, long throughSequence, int limit) {
        return queue().replayMatching(filter, fromSequence, throughSequence, limit);
    }

    @Override
    public boolean purge(long sequence) {
        return queue().purge(sequence);
    }

    @Override
    public long purgeAll() {
        return queue().purgeAll();
    }

    @Override
    public long purgeReplayed() {
        return queue().purgeReplayed();
    }
}
