package io.jetstreambridge.core.relay;

import io.jetstreambridge.core.outbox.OutboxRecord;

/** Callbacks on what the relay did, for logs and metrics; every method has a no-op default. */
public interface RelayListener {

    RelayListener NONE = new RelayListener() {
    };

    /** One publish round ended. */
    default void relayed(int sent, int failed) {
    }

    /** A row's attempt failed; it is retried later or marked failed. */
    default void publishFailed(OutboxRecord row, Throwable error) {
    }
}
