package io.jetstreambridge.core.consume;

import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.core.transaction.CauseChain;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.SystemException;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Tells a failure of the consumer's database (the one its inbox lives in) apart from a failure of an observer, and
 * holds the consumer while that database does not answer, so that an outage longer than the back-off span does not
 * turn every message fetched meanwhile into {@code max_deliver_exceeded}.
 *
 * <p>A failure counts as the database being unreachable when both hold:
 * <ol>
 *   <li>its cause chain {@linkplain #mayBeDatabaseFailure suggests it}: it holds a {@link SQLException} (a lost or
 *       refused connection is one, SQLState class {@code 08}, whatever the JPA provider wraps it in) or an exception
 *       of the transaction manager ({@code jakarta.transaction.SystemException}, {@code RollbackException},
 *       {@code Heuristic*Exception}: begin or commit failed);</li>
 *   <li>the {@link Probe} (a cheap query on the inbox table in a transaction of its own) fails right after.</li>
 * </ol>
 * The probe makes the decision: an observer whose own query failed, or that talks to another database that is
 * down, finds the consumer's database answering, and its failure is counted as usual.
 *
 * <p>While the database is unreachable ({@link #current()} present) the workers stop fetching and hold what they
 * have ({@link #awaitRecovery}); one of them probes at most every {@code probeInterval}, and the first answer ends
 * the outage for all of them. Thread-safe.
 */
public final class DatabaseOutage {

    /** How often a database that does not answer is probed again. */
    public static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    /** Asks the database a cheap question; says why it did not answer, or nothing when it did. */
    @FunctionalInterface
    public interface Probe {
        Optional<Throwable> failure();
    }

    private final String durable;
    private final Probe probe;
    private final Duration probeInterval;

    private Throwable down;
    private long downSince;
    private long lastProbe;
    private boolean closed;
    private volatile Instant answeredAgainAt;

    /**
     * @param probe null when the consumer has no database of its own (inbox off): then nothing is ever an outage
     */
    public DatabaseOutage(String durable, Probe probe, Duration probeInterval) {
        this.durable = Objects.requireNonNull(durable, "durable");
        this.probe = probe;
        this.probeInterval = Objects.requireNonNull(probeInterval, "probeInterval");
    }

    /** For a consumer without a database of its own (inbox off): no failure is ever taken for an outage. */
    public static DatabaseOutage none() {
        return new DatabaseOutage("none", null, PROBE_INTERVAL);
    }

    /**
     * Whether {@code failure} is the consumer's database not answering (see the class comment); when it is, the
     * outage begins (logged JSB4050) unless it already has.
     */
    public boolean confirms(Throwable failure) {
        if (probe == null || !mayBeDatabaseFailure(failure)) {
            return false;
        }
        synchronized (this) {
            if (down != null) {
                return true;
            }
        }
        Optional<Throwable> unanswered = probe.failure();
        if (unanswered.isEmpty()) {
            return false;
        }
        synchronized (this) {
            if (down == null) {
                down = unanswered.get();
                downSince = System.nanoTime();
                lastProbe = downSince;
                BridgeLog.databaseUnreachable(durable, failure, unanswered.get());
            }
        }
        return true;
    }

    /**
     * Returns at once while the database answers; else waits, probing at most every probe interval, until it
     * answers (true), or until {@code keepGoing} turns false, {@link #close()} or an interrupt (false).
     */
    public boolean awaitRecovery(BooleanSupplier keepGoing) {
        synchronized (this) {
            while (down != null) {
                if (closed || !keepGoing.getAsBoolean()) {
                    return false;
                }
                long wait = lastProbe + probeInterval.toNanos() - System.nanoTime();
                if (wait > 0) {
                    try {
                        wait(Math.max(1, Math.min(wait / 1_000_000, 200))); // short, to see keepGoing turn false
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                    continue;
                }
                lastProbe = System.nanoTime();
                Optional<Throwable> unanswered = probe.failure();
                if (unanswered.isPresent()) {
                    down = unanswered.get();
                } else {
                    BridgeLog.databaseAnswersAgain(durable, Duration.ofNanos(System.nanoTime() - downSince));
                    answeredAgainAt = Instant.now();
                    down = null;
                    notifyAll();
                }
            }
            return true;
        }
    }

    /** Why the database does not answer, while it does not. */
    public synchronized Optional<Throwable> current() {
        return Optional.ofNullable(down);
    }

    /** Ends every wait (the consumer stops): waiting workers give their messages back. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /**
     * The engine as health checks see it: {@link ConsumerEngine.State#WAITING_FOR_DATABASE} while the database does
     * not answer, with the probe's failure as {@link ConsumerEngine#lastError()}; else the engine's own. The end of
     * an outage counts as activity: workers that held messages through it have not fetched for that long, and
     * liveness must not take that for a stall.
     */
    public ConsumerEngine reportedOn(ConsumerEngine engine) {
        Objects.requireNonNull(engine, "engine");
        return new ConsumerEngine() {
            @Override
            public ConsumerEngine start() {
                engine.start();
                return this;
            }

            @Override
            public State state() {
                State state = engine.state();
                return state == State.RUNNING && current().isPresent() ? State.WAITING_FOR_DATABASE : state;
            }

            @Override
            public Optional<Instant> lastActivity() {
                Instant answered = answeredAgainAt;
                Optional<Instant> own = engine.lastActivity();
                return answered == null ? own : Optional.of(own.filter(answered::isBefore).orElse(answered));
            }

            @Override
            public Optional<Throwable> lastError() {
                return current().or(engine::lastError);
            }

            @Override
            public void close() {
                DatabaseOutage.this.close();
                engine.close();
            }
        };
    }

    /** Whether the cause chain holds a JDBC or transaction-manager failure: worth asking the probe. */
    static boolean mayBeDatabaseFailure(Throwable failure) {
        return CauseChain.anyMatch(failure, t -> t instanceof SQLException || t instanceof SystemException
                || t instanceof RollbackException || t instanceof HeuristicMixedException
                || t instanceof HeuristicRollbackException
                || java.util.Arrays.stream(t.getSuppressed()).anyMatch(SQLException.class::isInstance));
    }
}
