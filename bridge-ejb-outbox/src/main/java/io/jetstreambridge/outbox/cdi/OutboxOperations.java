package io.jetstreambridge.outbox.cdi;

import io.jetstreambridge.outbox.OutboxRow;
import io.jetstreambridge.outbox.OutboxStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.List;

/**
 * What operators do with the outbox: see what is waiting, list rows that used up their attempts, and retry or
 * discard them. Each call runs in a transaction of its own.
 */
@ApplicationScoped
public class OutboxOperations {

    @Inject
    OutboxRuntime runtime;

    /** Pending and failed counts and the age of the oldest pending row. */
    public OutboxStore.Backlog backlog() {
        return runtime.inTransaction((store, em) -> store.backlog(em));
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
