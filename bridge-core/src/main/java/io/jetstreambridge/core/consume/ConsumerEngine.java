package io.jetstreambridge.core.consume;

import io.jetstreambridge.core.Required;

import io.jetstreambridge.config.ConsumerSettings;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * A running consumer, pull or push: what the runtime starts and stops and what health checks read. Both engines
 * share one life cycle ({@link ConsumerLoop}): {@link #start()} once, {@link #close()} once; a closed engine
 * refuses to start again (build a new one, as the runtime does after a redeploy).
 */
public interface ConsumerEngine extends AutoCloseable {

    /** {@code WAITING_FOR_DATABASE}: the consumer's database does not answer, see {@link DatabaseOutage}. */
    enum State { STARTING, RUNNING, RECOVERING, STOPPED, WAITING_FOR_DATABASE }

    /**
     * Starts the workers; a second call does nothing.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    ConsumerEngine start();

    State state();

    /** When the loop last showed it is alive (a fetch returned; a wait for pushed messages ended, connected). */
    Optional<Instant> lastActivity();

    Optional<Throwable> lastError();

    /** Stops taking messages, finishes those in hand within the drain timeout; the rest are redelivered. */
    @Override
    void close();

    /**
     * Required: {@link Builder#connection}, {@link Builder#topology}, {@link Builder#settings},
     * {@link Builder#processor}, {@link Builder#threads}. Optional: {@link Builder#clock} (UTC),
     * {@link Builder#drainTimeout} (the settings'), {@link Builder#recreateConsumer} (pull only; by default the
     * engine waits for an administrator to create a missing durable).
     */
    static Builder builder() {
        return new Builder();
    }

    /** Builds the engine of the settings' {@link ConsumerSettings.Mode}, or one of a given kind for tests. */
    final class Builder {
        Connection connection;
        Topology topology;
        ConsumerSettings settings;
        MessageProcessor processor;
        ThreadFactory threads;
        Clock clock = Clock.systemUTC();
        Duration drainTimeout;
        Runnable recreateConsumer = PullConsumerEngine.WAIT_FOR_CONSUMER;

        private Builder() {
        }

        public Builder connection(Connection connection) {
            this.connection = connection;
            return this;
        }

        /** The durable, its subjects and the push delivery subject and queue group. */
        public Builder topology(Topology topology) {
            this.topology = topology;
            return this;
        }

        /** {@code consumer.*}: mode, concurrency, batch size, fetch timeout, drain timeout. */
        public Builder settings(ConsumerSettings settings) {
            this.settings = settings;
            return this;
        }

        public Builder processor(MessageProcessor processor) {
            this.processor = processor;
            return this;
        }

        /** Where the worker threads come from (a {@code ManagedThreadFactory} in a container). */
        public Builder threads(ThreadFactory threads) {
            this.threads = threads;
            return this;
        }

        /** For {@link ConsumerEngine#lastActivity()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Overrides {@code consumer.drain-timeout}: how long {@link ConsumerEngine#close()} waits. */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
            return this;
        }

        /**
         * Pull mode: what re-creates the durable when a worker finds it missing; by default
         * {@link PullConsumerEngine#WAIT_FOR_CONSUMER}, for provisioning off. Push mode makes no {@code $JS.API}
         * call and ignores it.
         */
        public Builder recreateConsumer(Runnable recreateConsumer) {
            this.recreateConsumer = Objects.requireNonNull(recreateConsumer, "recreateConsumer");
            return this;
        }

        /** The engine of {@code settings.mode()}, not started. */
        public ConsumerEngine build() {
            checked();
            return settings.mode() == ConsumerSettings.Mode.PUSH ? new PushConsumerEngine(this)
                    : new PullConsumerEngine(this);
        }

        public PullConsumerEngine buildPull() {
            return new PullConsumerEngine(checked());
        }

        public PushConsumerEngine buildPush() {
            return new PushConsumerEngine(checked());
        }

        private Builder checked() {
            Required.of("ConsumerEngine").check("connection (the NATS connection)", connection)
                    .check("topology (durable and subjects)", topology).check("settings (consumer.*)", settings)
                    .check("processor (the MessageProcessor)", processor)
                    .check("threads (the worker thread factory)", threads).orThrow();
            return this;
        }

        Duration drainTimeoutOrDefault() {
            return drainTimeout != null ? drainTimeout : settings.drainTimeout();
        }
    }
}
