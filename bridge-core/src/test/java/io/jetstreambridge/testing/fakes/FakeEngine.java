package io.jetstreambridge.testing.fakes;

import io.jetstreambridge.core.consume.ConsumerEngine;

import java.time.Instant;
import java.util.Optional;

/**
 * A consumer engine that only reports: a state and a last activity the test sets, for the health code and the
 * wrappers that read an engine (stall watch, database outage, readiness) without consuming anything.
 */
public final class FakeEngine implements ConsumerEngine {

    private volatile State state = State.RUNNING;
    private volatile Instant activity;

    /** Running, with no activity yet. */
    public FakeEngine() {
    }

    /** Running, last active at {@code activity}. */
    public static FakeEngine activeAt(Instant activity) {
        FakeEngine engine = new FakeEngine();
        engine.activity = activity;
        return engine;
    }

    public FakeEngine activity(Instant activity) {
        this.activity = activity;
        return this;
    }

    public FakeEngine state(State state) {
        this.state = state;
        return this;
    }

    @Override
    public ConsumerEngine start() {
        return this;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public Optional<Instant> lastActivity() {
        return Optional.ofNullable(activity);
    }

    @Override
    public Optional<Throwable> lastError() {
        return Optional.empty();
    }

    @Override
    public void close() {
    }
}
