package io.jetstreambridge.core.relay;

import io.jetstreambridge.config.OutboxSettings;
import io.jetstreambridge.core.outbox.OutboxLog;
import io.jetstreambridge.core.outbox.OutboxRecord;
import io.jetstreambridge.core.outbox.OutboxStore;
import io.jetstreambridge.core.publish.AckDeadlines;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.telemetry.PublishKind;
import io.jetstreambridge.core.telemetry.PublishObservation;
import io.jetstreambridge.core.telemetry.TraceHeaders;
import io.jetstreambridge.core.transaction.Transactions;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import jakarta.persistence.EntityManager;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Publishes outbox rows to JetStream. Rows are first claimed, so another relay does not publish them at the same
 * time: with the claiming transaction's row locks where the database can skip locked rows, else with a lease (see
 * {@link RelayRounds}). They are published pipelined with {@code publishAsync} and a bounded window, each with
 * {@code Nats-Msg-Id} = event id, and finished only after JetStream's ack (deleted, or marked sent with
 * {@code outbox.sent-rows=keep}: {@link OutboxStore#finishSent}). A row JetStream refused (or that
 * cannot be built), or whose ack did not come within the ack timeout, gets its next attempt scheduled with a
 * doubling wait, or is marked failed after the maximum attempts (see {@code Failure.counts()} for why a time-out
 * counts); a publish nobody answered (no responders, dropped connection) is retried without counting. So
 * {@code failed} means "refused" or "not acknowledged in time, maximum attempts in a row". While the connection is
 * not {@code CONNECTED} no round runs. If the relay dies
 * between the ack and the delete or update, the row becomes claimable again (the rollback frees the lock, or the lease
 * expires), another relay publishes it again and JetStream drops that copy inside its duplicate window.
 */
public final class OutboxRelay {

    private final OutboxStore store;
    private final JetStream jetStream;
    private final String stream;
    private final OutboxSettings settings;
    private final Semaphore window;
    private final Clock clock;
    private final String owner;
    private final RelayListener listener;
    private final BridgeTelemetry telemetry;
    private final RelayRounds rounds;
    private static final Runnable NO_PROGRESS = () -> { };
    private final Executor secondLane;
    private final AckDeadlines deadlines;
    private final BooleanSupplier connected;
    private final AtomicBoolean paused = new AtomicBoolean();

    public OutboxRelay(OutboxStore store, Transactions transactions, JetStream jetStream, String stream,
                       OutboxSettings settings, Duration ackTimeout, int asyncWindow, Clock clock, String owner,
                       RelayListener listener) {
        this(store, transactions, jetStream, stream, settings, ackTimeout, asyncWindow, clock, owner, listener,
                BridgeTelemetry.NONE);
    }

    /**
     * @param asyncWindow publishes in flight at once
     * @param owner       this relay's name in the lease columns, unique per instance
     */
    public OutboxRelay(OutboxStore store, Transactions transactions, JetStream jetStream, String stream,
                       OutboxSettings settings, Duration ackTimeout, int asyncWindow, Clock clock, String owner,
                       RelayListener listener, BridgeTelemetry telemetry) {
        this(store, transactions, jetStream, stream, settings, ackTimeout, asyncWindow, clock, owner, listener,
                telemetry, null);
    }

    /**
     * @param secondLane where a drain (sweeper round) runs a second sequence of rounds beside the caller's, so one
     *                   round's database work overlaps the other's wait for acks; null for one round at a time
     */
    public OutboxRelay(OutboxStore store, Transactions transactions, JetStream jetStream, String stream,
                       OutboxSettings settings, Duration ackTimeout, int asyncWindow, Clock clock, String owner,
                       RelayListener listener, BridgeTelemetry telemetry, Executor secondLane) {
        this(store, transactions, jetStream, stream, settings, ackTimeout, asyncWindow, clock, owner, listener,
                telemetry, secondLane, store.locksRows());
    }

    /**
     * The relay as the runtime runs it: it publishes only while {@code connection} is {@code CONNECTED}, so no
     * publish waits in jnats' reconnect buffer and a NATS outage uses up no row's attempts. (The constructors that
     * take a bare {@link JetStream} cannot see the connection: their rounds always publish.)
     *
     * @throws IOException when the connection cannot open a JetStream context
     */
    public OutboxRelay(OutboxStore store, Transactions transactions, Connection connection, String stream,
                       OutboxSettings settings, Duration ackTimeout, int asyncWindow, Clock clock, String owner,
                       RelayListener listener, BridgeTelemetry telemetry, Executor secondLane) throws IOException {
        this(store, transactions, connection.jetStream(), stream, settings, ackTimeout, asyncWindow, clock, owner,
                listener, telemetry, secondLane, store.locksRows(),
                () -> connection.getStatus() == Connection.Status.CONNECTED);
    }

    /** @param rowLocks whether rounds claim with row locks ({@link RelayRounds.LockedRounds}) or leases */
    OutboxRelay(OutboxStore store, Transactions transactions, JetStream jetStream, String stream,
                OutboxSettings settings, Duration ackTimeout, int asyncWindow, Clock clock, String owner,
                RelayListener listener, BridgeTelemetry telemetry, Executor secondLane, boolean rowLocks) {
        this(store, transactions, jetStream, stream, settings, ackTimeout, asyncWindow, clock, owner, listener,
                telemetry, secondLane, rowLocks, () -> true);
    }

    /** @param connected whether the connection is {@code CONNECTED} now: no round publishes while it is not */
    OutboxRelay(OutboxStore store, Transactions transactions, JetStream jetStream, String stream,
                OutboxSettings settings, Duration ackTimeout, int asyncWindow, Clock clock, String owner,
                RelayListener listener, BridgeTelemetry telemetry, Executor secondLane, boolean rowLocks,
                BooleanSupplier connected) {
        this.connected = Objects.requireNonNull(connected, "connected");
        this.secondLane = secondLane;
        // the sweeps only fail late acks; without a lane the JDK's pool does it, as orTimeout's timer thread did
        this.deadlines = new AckDeadlines(Objects.requireNonNull(ackTimeout, "ackTimeout"),
                secondLane != null ? secondLane : ForkJoinPool.commonPool());
        this.store = Objects.requireNonNull(store, "store");
        this.jetStream = Objects.requireNonNull(jetStream, "jetStream");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.window = new Semaphore(asyncWindow);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.listener = listener == null ? RelayListener.NONE : listener;
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.rounds = RelayRounds.of(rowLocks, store, Objects.requireNonNull(transactions, "transactions"), clock,
                owner, settings.lease());
    }

    /**
     * The fast path after a commit: publishes these rows now, from what the commit wrote, reading none of them back;
     * the table is touched only to claim their ids and to record the outcome. Rows another relay holds, sent or
     * already tried are left to it. With per-resource ordering the oldest rows of each resource go first instead,
     * read from the table, which may be these or older ones.
     *
     * @param rows as written ({@link OutboxRecord#written}), no attempt made yet
     * @return rows published
     */
    public int relayCommitted(Collection<OutboxRecord> rows) {
        if (!connected()) {
            return 0; // the rows stay pending: the sweeper sends them once NATS is back
        }
        if (settings.perResourceOrdering()) {
            return drain(clock.instant().plusSeconds(1), NO_PROGRESS);
        }
        return round(Claim.written(rows)).sent().size();
    }

    /**
     * One sweeper round: publishes rows the fast path missed (older than the grace period) and rows whose retry is
     * due, batch after batch until none is left.
     *
     * @return rows published
     */
    public int sweep() {
        return sweep(NO_PROGRESS);
    }

    /**
     * {@link #sweep()}, calling {@code roundEnded} after each round: a long drain of a backlog shows progress round
     * by round (the sweeper's liveness signal), not only when the backlog is gone.
     */
    public int sweep(Runnable roundEnded) {
        if (!connected()) {
            return 0;
        }
        return drain(clock.instant().minus(settings.gracePeriod()), roundEnded);
    }

    /**
     * Rounds until no row is left; on two lanes when a second one is given. Two lanes claim different rows, as two
     * relays would (skipped row locks or leases), and per-resource ordering holds the same way.
     */
    private int drain(Instant createdBefore, Runnable roundEnded) {
        if (secondLane == null) {
            return drainLane(createdBefore, roundEnded);
        }
        CompletableFuture<Integer> second;
        try {
            second = CompletableFuture.supplyAsync(() -> drainLane(createdBefore, roundEnded), secondLane);
        } catch (RejectedExecutionException e) {
            return drainLane(createdBefore, roundEnded); // the executor is shutting down or full: one lane still drains
        }
        int first;
        try {
            first = drainLane(createdBefore, roundEnded);
        } catch (RuntimeException e) {
            second.exceptionally(error -> 0).join(); // no round left running when the caller hears of the failure
            throw e;
        }
        try {
            return first + second.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private int drainLane(Instant createdBefore, Runnable roundEnded) {
        int published = 0;
        while (connected()) {
            Outcome outcome = round(Claim.due(settings.batchSize(), createdBefore, settings.perResourceOrdering()));
            roundEnded.run();
            if (outcome.isEmpty()) {
                return published;
            }
            published += outcome.sent().size();
            if (outcome.sent().isEmpty()) {
                return published; // everything failed: the retry wait applies, do not spin
            }
        }
        return published;
    }

    /**
     * Whether rounds may publish now. A publish while the connection is away would wait in jnats' reconnect buffer
     * and might be delivered after the relay had given up on it; so while not {@code CONNECTED} nothing is claimed
     * or sent (and no attempt counted). Logs the change either way.
     */
    private boolean connected() {
        boolean up = connected.getAsBoolean();
        if (up && paused.compareAndSet(true, false)) {
            OutboxLog.relayResumed();
        } else if (!up && paused.compareAndSet(false, true)) {
            OutboxLog.relayPaused();
        }
        return up;
    }

    /** Claims rows, publishes them pipelined and records the outcome of each; listeners hear of it afterwards. */
    private Outcome round(Claim claim) {
        Outcome outcome = rounds.run(claim, this::publish, this::record);
        if (!outcome.isEmpty()) {
            log(outcome);
            outcome.failures().forEach(f -> listener.publishFailed(f.row, f.error));
            listener.relayed(outcome.sent().size(), outcome.failures().size());
        }
        return outcome;
    }

    /** After the round's transaction: one line for its failed rows, one per row that is now {@code failed}. */
    private void log(Outcome outcome) {
        if (outcome.failures().isEmpty()) {
            return;
        }
        int rows = outcome.failures().size() + outcome.sent().size();
        List<Failure> counted = outcome.failures().stream().filter(Failure::counts).toList();
        if (!counted.isEmpty()) {
            OutboxLog.attemptsFailed(counted.size(), rows, counted.get(0).row.eventId(), counted.get(0).error);
        }
        int unanswered = outcome.failures().size() - counted.size();
        if (unanswered > 0) {
            Failure first = outcome.failures().stream().filter(f -> !f.counts()).findFirst().orElseThrow();
            OutboxLog.attemptsUnanswered(unanswered, rows, first.row.eventId(), first.error);
        }
        for (Failure f : counted) {
            if (f.row.attempts() + 1 >= settings.maxAttempts()) {
                OutboxLog.rowFailed(f.row.eventId(), f.row.id(), f.row.attempts() + 1, f.error);
            }
        }
    }

    /** Publishes claimed rows pipelined and waits for every ack (or failure). */
    private Outcome publish(List<OutboxRecord> rows) {
        if (rows.isEmpty()) {
            return Outcome.NONE;
        }
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>(rows.size());
        for (OutboxRecord row : rows) {
            acks.add(send(row));
        }
        List<OutboxStore.Sent> sent = new ArrayList<>(rows.size());
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            OutboxRecord row = rows.get(i);
            try {
                PublishAck ack = acks.get(i).join();
                sent.add(new OutboxStore.Sent(row.id(), ack.getSeqno()));
            } catch (RuntimeException e) {
                failures.add(new Failure(row, rootCause(e)));
            }
        }
        return new Outcome(sent, failures);
    }

    /** Finishes the acked rows (deleted or marked sent, batched) and schedules the next attempt of each failed one. */
    private void record(EntityManager em, Outcome outcome) {
        Instant now = clock.instant();
        if (!outcome.sent().isEmpty()) {
            store.finishSent(em, outcome.sent(), now);
        }
        for (Failure f : outcome.failures()) {
            Instant retryAt = now.plus(settings.retryWait(f.row.attempts() + 1));
            if (f.counts()) {
                store.markAttemptFailed(em, f.row.id(), owner, String.valueOf(f.error), now, retryAt,
                        settings.maxAttempts());
            } else {
                store.markAttemptUnanswered(em, f.row.id(), owner, String.valueOf(f.error), retryAt);
            }
        }
    }

    /** Sends one row; its span continues the trace stored with the row at publish time. */
    private CompletableFuture<PublishAck> send(OutboxRecord row) {
        PublishObservation observation;
        try {
            observation = telemetry.startPublish(PublishKind.RELAY, row.subject(), null, row.eventId(),
                    row.headers());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sendWith(row, observation.propagationHeaders()).whenComplete(observation::completed);
    }

    private CompletableFuture<PublishAck> sendWith(OutboxRecord row, Map<String, String> propagation) {
        Message message;
        PublishOptions options;
        try {
            message = message(row, propagation);
            options = PublishOptions.builder().messageId(row.eventId()).expectedStream(stream).build();
        } catch (RuntimeException e) {
            // this row's failure only (e.g. a non-ASCII header stored before OutgoingEvent refused it): the rest
            // of the round is still published and marked
            return CompletableFuture.failedFuture(e);
        }
        try {
            window.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        if (!connected.getAsBoolean()) { // lost in the middle of a round: keep it out of the reconnect buffer
            window.release();
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "NATS connection lost during the relay round; not published"));
        }
        try {
            return deadlines.watch(jetStream.publishAsync(message, options))
                    .whenComplete((ack, error) -> window.release());
        } catch (RuntimeException e) {
            window.release();
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The row as a NATS message; a header jnats refuses is named in the exception. */
    private static Message message(OutboxRecord row, Map<String, String> propagation) {
        Headers headers = new Headers();
        // in name order: a row gives the same message whether its headers were read back or held since the write
        new TreeMap<>(TraceHeaders.merge(row.headers(), propagation)).forEach((name, value) -> {
            try {
                headers.add(name, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("header '" + name + "' cannot be sent: " + e.getMessage(), e);
            }
        });
        return NatsMessage.builder().subject(row.subject()).headers(headers)
                .data(row.body().getBytes(StandardCharsets.UTF_8)).build();
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause instanceof java.util.concurrent.CompletionException || cause.getClass() == RuntimeException.class)) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** This relay's name in the lease columns. */
    public String owner() {
        return owner;
    }

    /** A row not published; {@link #counts()} says whether the attempt counts toward the maximum. */
    private record Failure(OutboxRecord row, Throwable error) {

        /**
         * A definite "not stored": JetStream refused it (an API error such as a stream that is not the expected
         * one, or a full stream), or the row cannot be sent at all (jnats refused to build or send it). Not: no
         * connection, no responders (JetStream not there, e.g. still starting), an ack timeout (it may be stored).
         */
        boolean refused() {
            return error instanceof JetStreamApiException || error instanceof IllegalArgumentException;
        }

        /**
         * Whether this attempt counts toward {@code outbox.relay.max-attempts}: a refusal, and also an ack timeout
         * while connected. A timed-out publish may have been stored, so each retry reuses the event id; counting
         * it keeps the span over which one id is reused bounded by the retry span that the duplicate window must
         * cover (OutboxSettings.retrySpan, checked at start-up). Never counted: publishes not made because NATS
         * was away, and "no responders" (nothing was stored).
         */
        boolean counts() {
            return refused() || error instanceof java.util.concurrent.TimeoutException;
        }
    }

    /** What JetStream said about one round's rows. */
    private record Outcome(List<OutboxStore.Sent> sent, List<Failure> failures) {

        static final Outcome NONE = new Outcome(List.of(), List.of());

        boolean isEmpty() {
            return sent.isEmpty() && failures.isEmpty();
        }
    }
}
