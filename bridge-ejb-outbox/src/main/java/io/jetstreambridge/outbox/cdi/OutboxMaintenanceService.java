package io.jetstreambridge.outbox.cdi;

import io.jetstreambridge.core.outbox.FailedRows;
import io.jetstreambridge.core.outbox.OutboxMaintenance;
import io.jetstreambridge.core.outbox.OutboxRow;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.cdi.ManagedExecutors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What operators do with the outbox: see what is waiting, list rows that used up their attempts, and retry them
 * (one, or in bulk by event type and age) or discard one. Each call (each batch of a bulk retry) runs in a
 * transaction of its own; the work is done by the plain {@link OutboxMaintenance} engine.
 */
@ApplicationScoped
public class OutboxMaintenanceService {

    @Inject
    OutboxRuntime runtime;

    @Inject
    ManagedExecutors executors;

    /** Pending and failed counts and the age of the oldest pending row. */
    public OutboxStore.Backlog backlog() {
        return runtime.maintenance().backlog();
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
        return failed(FailedRows.ALL, limit);
    }

    /** Failed rows of one event type and/or created before a time, oldest first. */
    public List<OutboxRow> failed(FailedRows which, int limit) {
        return runtime.maintenance().failed(which, limit);
    }

    /** Puts a failed row back to pending with fresh attempts; the sweeper publishes it on its next round. */
    public boolean retry(String eventId) {
        return runtime.maintenance().retry(eventId);
    }

    /**
     * Puts every failed row that matches back to pending with fresh attempts, in batches of
     * {@link OutboxMaintenance#RETRY_BATCH}, each batch in a transaction of its own.
     *
     * @return rows put back to pending
     * @throws OutboxMaintenance.BulkRetryException a batch failed; the rows of the batches before it stay pending
     */
    public int retryFailed(FailedRows which) {
        return runtime.maintenance().retryFailed(which);
    }

    /** Deletes a failed row: its event will never be published. */
    public boolean discard(String eventId) {
        return runtime.maintenance().discard(eventId);
    }
}
