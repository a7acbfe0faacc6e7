package io.jetstreambridge.core.consume;

import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.core.inbox.InboxConflictException;
import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.core.inbox.InboxStore;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.telemetry.ProcessObservation;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The unit of work per received event: a JTA transaction that (with the inbox on) records the event id and runs
 * the observers; the message is acked only after it commits. The transaction times out at the processing timeout,
 * so an observer that hangs ends in a rollback and a nak. A failure is recorded in the inbox in a transaction of
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

    private final UserTransaction transaction;
    private final Consumer<JetstreamEvent> observers;
    private final InboxStore inbox;
    private final Supplier<EntityManager> entityManager;
    private final int timeoutSeconds;
    private final Duration processingTimeout;
    private final BridgeTelemetry telemetry;

    /**
     * @param inbox         null when the inbox is off
     * @param entityManager the JTA-enlisted entity manager of the application; null when the inbox is off
     */
    public TransactionalDelivery(UserTransaction transaction, Consumer<JetstreamEvent> observers, InboxStore inbox,
                                 Supplier<EntityManager> entityManager, Duration processingTimeout) {
        this(transaction, observers, inbox, entityManager, processingTimeout, BridgeTelemetry.NONE);
    }

    public TransactionalDelivery(UserTransaction transaction, Consumer<JetstreamEvent> observers, InboxStore inbox,
                                 Supplier<EntityManager> entityManager, Duration processingTimeout,
                                 BridgeTelemetry telemetry) {
        this.transaction = Objects.requireNonNull(transaction, "transaction");
        this.observers = Objects.requireNonNull(observers, "observers");
        if ((inbox == null) != (entityManager == null)) {
            throw new IllegalArgumentException("the inbox needs an entity manager, and only the inbox uses one");
        }
        this.inbox = inbox;
        this.entityManager = entityManager;
        this.timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, processingTimeout.toSeconds()));
        this.processingTimeout = processingTimeout;
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    @Override
    public void handle(JetstreamEvent event) throws Exception {
        try {
            transaction.setTransactionTimeout(timeoutSeconds);
            transaction.begin();
            if (inbox != null && !inbox.claim(entityManager.get(), event)) {
                transaction.commit();
                BridgeLog.duplicateSkipped(event.eventId(), event.deliveryCount());
                telemetry.duplicateSkipped(event);
                return;
            }
            observers.accept(event);
            transaction.commit();
        } catch (InboxConflictException e) {
            rollbackIfActive();
            if (processedElsewhere(event)) {
                BridgeLog.duplicateSkipped(event.eventId(), event.deliveryCount());
                telemetry.duplicateSkipped(event);
                return;
            }
            throw e; // not a failure of the event: no attempt is recorded, the caller offers it again soon
        } catch (Exception | Error e) {
            rollbackIfActive();
            recordFailure(event, e);
            throw e;
        } finally {
            transaction.setTransactionTimeout(0);
        }
    }

    /** After an inbox conflict: whether the delivery that won it committed the event as processed. */
    private boolean processedElsewhere(JetstreamEvent event) {
        try {
            transaction.begin();
            InboxEvent row = inbox.find(entityManager.get(), event.eventId());
            transaction.commit();
            return row != null && row.processed();
        } catch (Exception e) {
            rollbackIfActive();
            return false;
        }
    }

    @Override
    public void handleAll(List<JetstreamEvent> events,
                          Function<JetstreamEvent, ProcessObservation.Current> current) throws Exception {
        List<JetstreamEvent> fresh;
        long started = System.nanoTime();
        try {
            transaction.setTransactionTimeout(timeoutSeconds);
            transaction.begin();
            fresh = inbox == null ? events : inbox.claimAll(entityManager.get(), events);
            for (JetstreamEvent event : fresh) {
                if (System.nanoTime() - started >= processingTimeout.toNanos()) {
                    throw new TimeoutException("the batch of " + events.size() + " events used up the processing "
                            + "timeout (" + processingTimeout.toMillis() + " ms) before event " + event.eventId());
                }
                try (ProcessObservation.Current scope = current.apply(event)) {
                    observers.accept(event);
                }
            }
            transaction.commit();
        } catch (Exception | Error e) {
            rollbackIfActive();
            throw e;
        } finally {
            transaction.setTransactionTimeout(0);
        }
        if (fresh.size() < events.size()) {
            Set<JetstreamEvent> handled = Collections.newSetFromMap(new IdentityHashMap<>());
            handled.addAll(fresh);
            events.stream().filter(e -> !handled.contains(e))
                    .forEach(e -> {
                        BridgeLog.duplicateSkipped(e.eventId(), e.deliveryCount());
                        telemetry.duplicateSkipped(e);
                    });
        }
    }

    private void rollbackIfActive() {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } catch (SystemException | IllegalStateException | SecurityException e) {
            BridgeLog.rollbackFailed(e);
        }
    }

    private void recordFailure(JetstreamEvent event, Throwable error) {
        if (inbox == null) {
            return;
        }
        try {
            transaction.begin();
            inbox.recordFailure(entityManager.get(), event, error);
            transaction.commit();
        } catch (Exception e) {
            rollbackIfActive();
            BridgeLog.failureNotRecorded(event.eventId(), e);
        }
    }
}
