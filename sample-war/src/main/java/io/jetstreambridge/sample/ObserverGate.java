package io.jetstreambridge.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * A test switch that lets an operator (or an end-to-end test) hold billing's {@code order.created} observer, the way
 * a hung downstream call would, to watch liveness go DOWN and come back. Off unless {@code sample.test-hooks=true}
 * (the integration tests' server sets it; {@code .ci/sample.sh} does not): then {@link #pass()} returns at once. A
 * closed gate holds observers until it is opened, at most {@link #LONGEST_HOLD}, so a forgotten gate cannot keep a
 * consumer (or a server shut-down) waiting for ever.
 */
@ApplicationScoped
public class ObserverGate {

    static final Duration LONGEST_HOLD = Duration.ofMinutes(2);
    private static final Logger LOG = Logger.getLogger(ObserverGate.class.getName());

    @Inject
    @ConfigProperty(name = "sample.test-hooks", defaultValue = "false")
    boolean enabled;

    /** An explicit lock: Weld's client proxy would copy {@code synchronized} and lock itself while one waits. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition opened = lock.newCondition();
    private boolean closed;
    private int waiting;

    public boolean enabled() {
        return enabled;
    }

    /** Returns at once while the gate is open; otherwise waits until it opens or {@link #LONGEST_HOLD} passed. */
    public void pass() {
        if (!enabled) {
            return;
        }
        lock.lock();
        try {
            if (closed) {
                hold();
            }
        } finally {
            lock.unlock();
        }
    }

    private void hold() {
        waiting++;
        LOG.info("observer held at the closed gate (sample.test-hooks)");
        try {
            long left = LONGEST_HOLD.toNanos();
            while (closed && left > 0) {
                left = opened.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            // the consumer is being stopped: let the message go back unfinished
            Thread.currentThread().interrupt();
        } finally {
            waiting--;
        }
    }

    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    public void open() {
        lock.lock();
        try {
            closed = false;
            opened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Observers waiting at the gate now. */
    public int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }
}
