package io.jetstreambridge.outbox.cdi;

import io.jetstreambridge.outbox.OutboxRow;
import io.jetstreambridge.outbox.OutboxStore;
import io.jetstreambridge.runtime.cdi.ManagedExecutors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What operators do with the outbox: see what is waiting, list rows that used up their attempts, and retry or
 * discard them. Each call runs in a transaction of its own.
 */
@ApplicationScoped
public class OutboxOperations {

    @Inject
    OutboxRuntime runtime;

    @Inject
    ManagedExecutors executors;

    /** Pending and failed counts and the age of the oldest pending row. */
    public OutboxStore.Backlog backlog() {
        return runtime.inTransaction((store, em) -> store.backlog(em));
    }

    /**
     * The backlog, queried on the bridge's managed executor (so it has the application's naming context even when
     * asked from a management or exporter thread) and waited for at most {@code timeout}.
     *
     * @throws ExecutionException the query failed (its cause says why)
     */
    public OutboxStore.Backlog backlog(Duration timeout)
            throws TimeoutException, ExecutionException, InterruptedException {
        CompletableFuture<OutboxStore.Backlog> query = CompletableFuture.supplyAsync(this::backlog,
                executors.executor());
        try {
            return query.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            query.cancel(false);
            throw e;
        }
    }

    /** Rows marked failed after the maximum attempts, oldest first. */
    public List<OutboxRow> failed(int limit) {
        return runtime.inTransaction((store, em) -> store.failed(em, limit));
    }

    /** Puts a failed row back to pending with fresh attempts; the sweeper publishes it on its next round. */
    public boolean retry(String eventId) {
        return runtime.inTransaction((store, em) -> store.retry(em, eventId, Clock.systemUTC().instant()));
    }

    /** Deletes a failed row: its event will never be published. */
    public boolean discard(String eventId) {
        return runtime.inTransaction((store, em) -> store.discard(em, eventId));
    }
}
