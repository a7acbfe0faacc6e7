package io.jetstreambridge.outbox;

import io.jetstreambridge.runtime.transaction.Transactions;
import io.jetstreambridge.envelope.Envelope;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishException;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.runtime.publish.PayloadMapper;
import io.jetstreambridge.runtime.telemetry.BridgeTelemetry;
import io.jetstreambridge.runtime.telemetry.PublishKind;
import io.jetstreambridge.runtime.telemetry.PublishObservation;
import io.jetstreambridge.runtime.telemetry.TraceHeaders;
import io.jetstreambridge.topology.Topology;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@link Publisher} when the outbox is on. Inside an active JTA transaction, {@code publish} writes an outbox
 * row through the application's entity manager (same data source, so it commits or rolls back with the business
 * data, no XA) and returns {@code PENDING}; when the transaction commits, the rows are handed to the relay, off the
 * committing thread. Outside a transaction the row is written in a transaction of its own (so the event survives
 * a NATS outage) and handed over at once. Nothing here waits for NATS.
 */
public final class OutboxPublisher implements Publisher {

    /** Key of the transaction's pending row ids in the synchronization registry. */
    private final Object resourceKey = new Object();

    private final TransactionSynchronizationRegistry registry;
    private final Transactions ownTransactions;
    private final Supplier<EntityManager> entityManager;
    private final OutboxStore store;
    private final Topology topology;
    private final EnvelopeFactory envelopes;
    private final EnvelopeCodec codec;
    private final PayloadMapper payloads;
    private final Consumer<List<Long>> afterCommit;
    private final LongSupplier maxPayload;
    private final Clock clock;
    private final BridgeTelemetry telemetry;

    public OutboxPublisher(TransactionSynchronizationRegistry registry, Transactions ownTransactions,
                           Supplier<EntityManager> entityManager, OutboxStore store, Topology topology,
                           EnvelopeFactory envelopes, EnvelopeCodec codec, PayloadMapper payloads,
                           Consumer<List<Long>> afterCommit, Clock clock) {
        this(registry, ownTransactions, entityManager, store, topology, envelopes, codec, payloads, afterCommit,
                () -> 0, clock, BridgeTelemetry.NONE);
    }

    /**
     * @param afterCommit receives the ids of a committed transaction's rows; it must only hand them to another
     *                    thread (it runs in {@code afterCompletion}, where application components may not be called)
     * @param maxPayload  the server's {@code max_payload} in bytes, or 0 while unknown (not connected yet): a larger
     *                    event is refused at once, because the relay could never send it
     */
    public OutboxPublisher(TransactionSynchronizationRegistry registry, Transactions ownTransactions,
                           Supplier<EntityManager> entityManager, OutboxStore store, Topology topology,
                           EnvelopeFactory envelopes, EnvelopeCodec codec, PayloadMapper payloads,
                           Consumer<List<Long>> afterCommit, LongSupplier maxPayload, Clock clock,
                           BridgeTelemetry telemetry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.ownTransactions = Objects.requireNonNull(ownTransactions, "ownTransactions");
        this.entityManager = Objects.requireNonNull(entityManager, "entityManager");
        this.store = Objects.requireNonNull(store, "store");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.envelopes = Objects.requireNonNull(envelopes, "envelopes");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        this.afterCommit = Objects.requireNonNull(afterCommit, "afterCommit");
        this.maxPayload = Objects.requireNonNull(maxPayload, "maxPayload");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    @Override
    public PublishResult publish(OutgoingEvent event) {
        Envelope envelope = envelopes.create(event, payloads.toJson(event.payload()));
        String subject = event.subject() != null ? event.subject() : topology.publishSubject();
        PublishObservation observation = telemetry.startPublish(PublishKind.OUTBOX, subject, envelope.eventType(),
                envelope.eventId(), null);
        try {
            PublishResult result = append(toRow(event, envelope, subject, observation));
            observation.succeeded();
            return result;
        } catch (RuntimeException e) {
            observation.failed(e);
            throw e;
        }
    }

    /** Writes the row; its headers carry the trace context the relay continues. */
    private PublishResult append(NewOutboxEvent row) {
        if (registry.getTransactionStatus() == Status.STATUS_ACTIVE) {
            pendingIds().add(store.append(entityManager.get(), row, clock.instant()));
        } else if (registry.getTransactionStatus() == Status.STATUS_NO_TRANSACTION) {
            Long id = writtenId(ownTransactions.inTransaction(em -> store.append(em, row, clock.instant())));
            if (id != null) {
                afterCommit.accept(List.of(id));
            }
        } else {
            throw new PublishException("the current transaction is marked for rollback or completing; an event "
                    + "published now would never be sent", row.eventId(), row.subject(), topology.stream(), 0, null);
        }
        return new PublishResult(row.eventId(), row.subject(), PublishResult.Outcome.PENDING, null, 0, null);
    }

    @Override
    public CompletionStage<PublishResult> publishAsync(OutgoingEvent event) {
        return CompletableFuture.completedFuture(publish(event));
    }

    @Override
    public List<PublishResult> publishAll(List<OutgoingEvent> events) {
        return events.stream().map(this::publish).toList();
    }

    private NewOutboxEvent toRow(OutgoingEvent event, Envelope envelope, String subject,
                                 PublishObservation observation) {
        byte[] body = codec.encode(envelope);
        long limit = maxPayload.getAsLong();
        if (limit > 0 && body.length > limit) {
            // refused before anything is written: inside a transaction the caller's exception rolls it back
            throw new PublishException("the event is " + body.length + " bytes but the NATS server accepts at most "
                    + limit + " (max_payload); nothing was written to the outbox", envelope.eventId(), subject,
                    topology.stream(), 0, null);
        }
        return new NewOutboxEvent(envelope.eventId(), envelope.eventType(), envelope.resourceType(),
                envelope.resourceId(), subject, new String(body, StandardCharsets.UTF_8),
                TraceHeaders.merge(event.headers(), observation.propagationHeaders()));
    }

    /** The rows written in this transaction; the first call registers the after-commit hand-off of their ids. */
    @SuppressWarnings("unchecked")
    private List<LongSupplier> pendingIds() {
        List<LongSupplier> ids = (List<LongSupplier>) registry.getResource(resourceKey);
        if (ids == null) {
            List<LongSupplier> created = new ArrayList<>();
            registry.putResource(resourceKey, created);
            registry.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    // nothing: the rows are already part of the transaction
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        afterCommit.accept(created.stream().map(OutboxPublisher::writtenId).filter(Objects::nonNull)
                                .toList());
                    }
                }
            });
            ids = created;
        }
        return ids;
    }

    /** The id of a committed row; null if the provider did not report it (the sweeper sends that row). */
    private static Long writtenId(LongSupplier id) {
        try {
            return id.getAsLong();
        } catch (IllegalStateException e) {
            return null;
        }
    }
}
