package io.jetstreambridge.core.consume;

import io.jetstreambridge.core.Required;

import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.core.inbox.InboxConflictException;
import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.core.inbox.InboxStore;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.telemetry.ProcessObservation;
import io.jetstreambridge.core.transaction.Transactions;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The unit of work per received event: a transaction of its own ({@link Transactions#inTransactionWithin}, JTA in
 * a container) that (with the inbox on) records the event id and runs the observers; the message is acked only
 * after it commits (by the {@link MessageProcessor}, once {@link #handle} returns). The transaction times out at
 * the processing timeout, so an observer that hangs ends in a rollback and a nak. A failure is recorded in the inbox in a transaction of
 * its own, after the rollback, so the record survives. A delivery that loses the race for the inbox row to another
 * delivery of the same event ({@link InboxConflictException}) is no failure: acked as a duplicate when the other
 * one processed the event, else handed back as a conflict without a recorded attempt.
 *
 * <p>A batch ({@link #handleAll}) is one such transaction for all its events: the inbox rows are claimed together
 * and flushed before the first observer runs, and a failure rolls everything back without a record (the caller
 * then hands the events over one by one, which records the failing one as above). The processing timeout bounds
 * the whole batch: once it has passed, no further event's observers start; the batch rolls back at once (its
 * transaction would time out anyway) and the events are handed over one by one, each with its own timeout.
 */
public final class TransactionalDelivery implements BatchDeliveryHandler {

    private final Transactions transactions;
    private final Consumer<JetstreamEvent> observers;
    private final InboxStore inbox;
    private final Duration processingTimeout;
    private final BridgeTelemetry telemetry;

    private TransactionalDelivery(Builder builder) {
        this.transactions = builder.transactions;
        this.observers = builder.observers;
        this.processingTimeout = builder.processingTimeout;
        Required.of("TransactionalDelivery").check("transactions (the observers' transactions)", transactions)
                .check("observers (fire the received event)", observers)
                .check("processingTimeout (the transactions' timeout)", processingTimeout).orThrow();
        this.inbox = builder.inbox;
        this.telemetry = builder.telemetry;
    }

    /**
     * Required: {@link Builder#transactions}, {@link Builder#observers}, {@link Builder#processingTimeout}.
     * Optional: {@link Builder#inbox} (off when not given), {@link Builder#telemetry} ({@link BridgeTelemetry#NONE}).
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void handle(JetstreamEvent event) throws Exception {
        boolean fresh;
        try {
            fresh = transactions.inTransactionWithin(processingTimeout,
                    em -> {
                        if (inbox != null && !inbox.claim(em, event)) {
                            return false;
                        }
                        observers.accept(event);
                        return true;
                    });
        } catch (InboxConflictException e) {
            if (processedElsewhere(event)) {
                duplicateSkipped(event);
                return;
            }
            throw e; // not a failure of the event: no attempt is recorded, the caller offers it again soon
        } catch (Exception | Error e) {
            recordFailure(event, e);
            throw e;
        }
        if (!fresh) {
            duplicateSkipped(event);
        }
    }

    /** After an inbox conflict: whether the delivery that won it committed the event as processed. */
    private boolean processedElsewhere(JetstreamEvent event) {
        try {
            InboxEvent row = transactions.inTransactionWithin(processingTimeout,
                    em -> inbox.find(em, event.eventId()));
            return row != null && row.processed();
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    @SuppressWarnings("try") // `scope` makes each event's observation current while its observers run
    public void handleAll(List<JetstreamEvent> events,
                          Function<JetstreamEvent, ProcessObservation.Current> current) throws Exception {
        long started = System.nanoTime();
        List<JetstreamEvent> fresh = transactions.inTransactionWithin(processingTimeout, em -> {
            List<JetstreamEvent> claimed = inbox == null ? events : inbox.claimAll(em, events);
            for (JetstreamEvent event : claimed) {
                if (System.nanoTime() - started >= processingTimeout.toNanos()) {
                    throw new TimeoutException("the batch of " + events.size() + " events used up the processing "
                            + "timeout (" + processingTimeout.toMillis() + " ms) before event " + event.eventId());
                }
                try (ProcessObservation.Current scope = current.apply(event)) {
                    observers.accept(event);
                }
            }
            return claimed;
        });
        if (fresh.size() < events.size()) {
            Set<JetstreamEvent> handled = Collections.newSetFromMap(new IdentityHashMap<>());
            handled.addAll(fresh);
            events.stream().filter(e -> !handled.contains(e)).forEach(this::duplicateSkipped);
        }
    }

    private void duplicateSkipped(JetstreamEvent event) {
        BridgeLog.duplicateSkipped(event.eventId(), event.deliveryCount());
        telemetry.duplicateSkipped(event);
    }

    /** The failed attempt, in a transaction of its own after the rollback, so the record survives. */
    private void recordFailure(JetstreamEvent event, Throwable error) {
        if (inbox == null) {
            return;
        }
        try {
            transactions.inTransactionWithin(processingTimeout, em -> {
                inbox.recordFailure(em, event, error);
                return null;
            });
        } catch (Exception e) {
            BridgeLog.failureNotRecorded(event.eventId(), e);
        }
    }

    /** Builds a {@link TransactionalDelivery}; see {@link TransactionalDelivery#builder()}. */
    public static final class Builder {
        private Transactions transactions;
        private Consumer<JetstreamEvent> observers;
        private Duration processingTimeout;
        private InboxStore inbox;
        private BridgeTelemetry telemetry = BridgeTelemetry.NONE;

        private Builder() {
        }

        /** The transactions the observers run in; their entity manager is the inbox's. */
        public Builder transactions(Transactions transactions) {
            this.transactions = transactions;
            return this;
        }

        /** Fires the event to the application's observers (in a container: the CDI event). */
        public Builder observers(Consumer<JetstreamEvent> observers) {
            this.observers = observers;
            return this;
        }

        /** The consumer's processing timeout: the transaction's timeout, and the bound of a whole batch. */
        public Builder processingTimeout(Duration processingTimeout) {
            this.processingTimeout = processingTimeout;
            return this;
        }

        /** Turns the inbox on: event ids claimed in the observers' transaction, failures recorded. */
        public Builder inbox(InboxStore inbox) {
            this.inbox = Objects.requireNonNull(inbox, "inbox");
            return this;
        }

        public Builder telemetry(BridgeTelemetry telemetry) {
            this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
            return this;
        }

        /** @throws IllegalStateException naming every required collaborator not given */
        public TransactionalDelivery build() {
            return new TransactionalDelivery(this);
        }
    }
}
