package io.jetstreambridge.core.outbox;

import io.jetstreambridge.core.Required;

import io.jetstreambridge.core.transaction.Transactions;
import io.jetstreambridge.envelope.Envelope;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishException;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.core.publish.PayloadMapper;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.telemetry.PublishKind;
import io.jetstreambridge.core.telemetry.PublishObservation;
import io.jetstreambridge.core.telemetry.TraceHeaders;
import io.jetstreambridge.topology.Peers;
import io.jetstreambridge.topology.Topology;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
 * a NATS outage) and handed over at once; a list is written in one such transaction, all or nothing. Nothing here
 * waits for NATS.
 */
public final class OutboxPublisher implements Publisher {

    /** Key of the transaction's written rows in the synchronization registry. */
    private final Object resourceKey = new Object();

    private final TransactionSynchronizationRegistry registry;
    private final Transactions ownTransactions;
    private final Supplier<EntityManager> entityManager;
    private final OutboxStore store;
    private final Peers peers;
    private final EnvelopeFactory envelopes;
    private final EnvelopeCodec codec;
    private final PayloadMapper payloads;
    private final Consumer<List<OutboxRecord>> afterCommit;
    private final LongSupplier maxPayload;
    private final Clock clock;
    private final BridgeTelemetry telemetry;

    private OutboxPublisher(Builder b) {
        this.registry = b.registry;
        this.ownTransactions = b.ownTransactions;
        this.entityManager = b.entityManager;
        this.store = b.store;
        this.peers = b.peers;
        this.envelopes = b.envelopes;
        this.codec = b.codec;
        this.payloads = b.payloads;
        this.afterCommit = b.afterCommit;
        this.maxPayload = b.maxPayload;
        this.clock = b.clock;
        this.telemetry = b.telemetry;
    }

    /**
     * A builder. Required: registry, own transactions, entity manager, store, peers (or topology), envelopes, codec, payloads
     * and the after-commit hand-off; the rest has defaults.
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public PublishResult publish(OutgoingEvent event) {
        Entry entry = prepare(event);
        if (entry.failure != null) {
            throw entry.failure;
        }
        write(List.of(entry));
        if (entry.failure != null) {
            throw entry.failure;
        }
        return entry.result();
    }

    /** As {@link #publish}; a refusal completes the stage exceptionally, only invalid input throws. */
    @Override
    public CompletionStage<PublishResult> publishAsync(OutgoingEvent event) {
        try {
            return CompletableFuture.completedFuture(publish(event));
        } catch (PublishException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Writes every acceptable event; a refused one is a {@code FAILED} result. Inside the caller's transaction each
     * row joins it (the commit decides for all); outside, all rows are written in one transaction of their own, so
     * either every {@code PENDING} result is a written row or, when that write fails, every result is
     * {@code FAILED} and nothing was written. Invalid input throws before anything is written, for the whole list:
     * an event naming a peer that is not configured, or naming none while there are several, is a programming
     * error, so no event of the call is written (and fanOut's copies are all written or none).
     */
    @Override
    public List<PublishResult> publishAll(List<OutgoingEvent> events) {
        List<Entry> entries = new ArrayList<>(events.size());
        try {
            events.forEach(event -> entries.add(prepare(event)));
        } catch (RuntimeException e) { // invalid input: nothing is written, so no started publish stays open
            entries.stream().filter(Entry::writable).forEach(entry -> entry.observation.failed(e));
            throw e;
        }
        write(entries.stream().filter(Entry::writable).toList());
        return entries.stream().map(Entry::result).toList();
    }

    /**
     * The row of one event, or its refusal (too large for the server); invalid input throws.
     */
    private Entry prepare(OutgoingEvent event) {
        String subject = peers.publishSubject(event); // the row keeps it: the relay sends each row to its own
        Envelope envelope = envelopes.create(event, payloads.toJson(event.payload()));
        PublishObservation observation = telemetry.startPublish(PublishKind.OUTBOX, subject, envelope.eventType(),
                envelope.eventId(), null);
        Entry entry = new Entry(envelope.eventId(), subject, observation);
        try {
            entry.row = toRow(event, envelope, subject, observation);
        } catch (PublishException e) {
            entry.fail(e);
        } catch (RuntimeException e) {
            observation.failed(e);
            throw e;
        }
        return entry;
    }

    /** Writes the rows (their headers carry the trace context the relay continues) and records each outcome. */
    private void write(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        if (registry.getTransactionStatus() == Status.STATUS_NO_TRANSACTION) {
            writeInOwnTransaction(entries);
            return;
        }
        for (Entry entry : entries) {
            if (registry.getTransactionStatus() != Status.STATUS_ACTIVE) {
                entry.fail(failure(entry, "the current transaction is marked for rollback or completing; an event "
                        + "published now would never be sent", null));
                continue;
            }
            try {
                writtenRows().add(new Written(store.append(entityManager.get(), entry.row, clock.instant()),
                        entry.row));
                entry.written();
            } catch (RuntimeException e) {
                entry.fail(failure(entry, "writing the event to the outbox in the caller's transaction failed, "
                        + "nothing was written: " + e, e));
            }
        }
    }

    /** All rows in one transaction of their own: all written, or none. The written ones go to the relay at once. */
    private void writeInOwnTransaction(List<Entry> entries) {
        List<Written> rows;
        try {
            rows = ownTransactions.inTransaction(em -> {
                List<Written> appended = new ArrayList<>(entries.size());
                for (Entry entry : entries) {
                    appended.add(new Written(store.append(em, entry.row, clock.instant()), entry.row));
                }
                return appended;
            });
        } catch (RuntimeException e) {
            String what = entries.size() == 1 ? "the event" : "the " + entries.size() + " events of this call";
            entries.forEach(entry -> entry.fail(failure(entry, "writing " + what + " to the outbox failed and "
                    + "was rolled back, nothing was written: " + e, e)));
            return;
        }
        entries.forEach(Entry::written);
        List<OutboxRecord> written = committed(rows);
        if (!written.isEmpty()) {
            afterCommit.accept(written);
        }
    }

    private PublishException failure(Entry entry, String message, Throwable cause) {
        return new PublishException(message, entry.eventId, entry.subject, peers.stream(), 0, cause);
    }

    private NewOutboxEvent toRow(OutgoingEvent event, Envelope envelope, String subject,
                                 PublishObservation observation) {
        byte[] body = codec.encode(envelope);
        long limit = maxPayload.getAsLong();
        if (limit > 0 && body.length > limit) {
            // refused before anything is written: inside a transaction the caller's exception rolls it back
            throw new PublishException("the event is " + body.length + " bytes but the NATS server accepts at most "
                    + limit + " (max_payload); nothing was written to the outbox", envelope.eventId(), subject,
                    peers.stream(), 0, null);
        }
        return new NewOutboxEvent(envelope.eventId(), envelope.eventType(), envelope.resourceType(),
                envelope.resourceId(), subject, new String(body, StandardCharsets.UTF_8),
                TraceHeaders.merge(event.headers(), observation.propagationHeaders()));
    }

    /** The rows written in this transaction; the first call registers their after-commit hand-off. */
    @SuppressWarnings("unchecked")
    private List<Written> writtenRows() {
        List<Written> rows = (List<Written>) registry.getResource(resourceKey);
        if (rows == null) {
            List<Written> created = new ArrayList<>();
            registry.putResource(resourceKey, created);
            registry.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    // nothing: the rows are already part of the transaction
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        afterCommit.accept(committed(created));
                    }
                }
            });
            rows = created;
        }
        return rows;
    }

    /** The committed rows as written; one whose id the provider did not report is left out (the sweeper sends it). */
    private static List<OutboxRecord> committed(List<Written> rows) {
        List<OutboxRecord> committed = new ArrayList<>(rows.size());
        for (Written row : rows) {
            try {
                committed.add(OutboxRecord.written(row.id.getAsLong(), row.event));
            } catch (IllegalStateException e) {
                // no id: not handed over
            }
        }
        return committed;
    }

    /** A row appended in a transaction: its id once written, and what was written. */
    private record Written(LongSupplier id, NewOutboxEvent event) {
    }

    /** One event of a call on its way to the table, and what became of it. */
    private static final class Entry {
        final String eventId;
        final String subject;
        final PublishObservation observation;
        NewOutboxEvent row;
        PublishException failure;

        Entry(String eventId, String subject, PublishObservation observation) {
            this.eventId = eventId;
            this.subject = subject;
            this.observation = observation;
        }

        boolean writable() {
            return failure == null;
        }

        void written() {
            observation.succeeded();
        }

        void fail(PublishException e) {
            failure = e;
            observation.failed(e);
        }

        PublishResult result() {
            return failure != null ? PublishResult.failed(eventId, subject, failure)
                    : new PublishResult(eventId, subject, PublishResult.Outcome.PENDING, null, 0, null);
        }
    }

    /**
     * Builds an {@link OutboxPublisher}: explicit collaborators, checked together at {@link #build()} (every missing
     * one named in one message), one immutable publisher as the result.
     */
    public static final class Builder {
        private TransactionSynchronizationRegistry registry;
        private Transactions ownTransactions;
        private Supplier<EntityManager> entityManager;
        private OutboxStore store;
        private Peers peers;
        private EnvelopeFactory envelopes;
        private EnvelopeCodec codec;
        private PayloadMapper payloads;
        private Consumer<List<OutboxRecord>> afterCommit;
        private LongSupplier maxPayload = () -> 0;
        private Clock clock = Clock.systemUTC();
        private BridgeTelemetry telemetry = BridgeTelemetry.NONE;

        private Builder() {
        }

        /** Tells whether a JTA transaction is active and runs the after-commit hand-off. */
        public Builder registry(TransactionSynchronizationRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** The transactions a publish outside the caller's transaction writes its rows in. */
        public Builder ownTransactions(Transactions ownTransactions) {
            this.ownTransactions = ownTransactions;
            return this;
        }

        /** The application's entity manager, joined to the caller's transaction. */
        public Builder entityManager(Supplier<EntityManager> entityManager) {
            this.entityManager = entityManager;
            return this;
        }

        public Builder store(OutboxStore store) {
            this.store = store;
            return this;
        }

        /** The application's peers: where each event's row is sent ({@link Peers#publishSubject}). */
        public Builder peers(Peers peers) {
            this.peers = peers;
            return this;
        }

        /** The one-peer case of {@link #peers}. */
        public Builder topology(Topology topology) {
            this.peers = topology == null ? null : Peers.of(topology);
            return this;
        }

        public Builder envelopes(EnvelopeFactory envelopes) {
            this.envelopes = envelopes;
            return this;
        }

        public Builder codec(EnvelopeCodec codec) {
            this.codec = codec;
            return this;
        }

        public Builder payloads(PayloadMapper payloads) {
            this.payloads = payloads;
            return this;
        }

        /**
         * Receives a committed transaction's rows as written ({@link OutboxRecord#written}: what the relay
         * publishes, so it need not read them back); it must only hand them to another thread (it runs in
         * {@code afterCompletion}, where application components may not be called).
         */
        public Builder afterCommit(Consumer<List<OutboxRecord>> afterCommit) {
            this.afterCommit = afterCommit;
            return this;
        }

        /**
         * Optional: the server's {@code max_payload} in bytes, or 0 while unknown (not connected yet): a larger
         * event is refused at once, because the relay could never send it. Always 0 (unknown) unless given.
         */
        public Builder maxPayload(LongSupplier maxPayload) {
            this.maxPayload = maxPayload;
            return this;
        }

        /** Optional: the system clock (UTC) unless given. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Optional: {@link BridgeTelemetry#NONE} unless given. */
        public Builder telemetry(BridgeTelemetry telemetry) {
            this.telemetry = telemetry;
            return this;
        }

        /** @throws IllegalStateException naming every missing collaborator */
        public OutboxPublisher build() {
            Required.of("OutboxPublisher").check("registry", registry).check("ownTransactions", ownTransactions)
                    .check("entityManager", entityManager).check("store", store).check("peers", peers)
                    .check("envelopes", envelopes).check("codec", codec).check("payloads", payloads)
                    .check("afterCommit", afterCommit).check("maxPayload", maxPayload).check("clock", clock)
                    .check("telemetry", telemetry).orThrow();
            return new OutboxPublisher(this);
        }
    }
}
