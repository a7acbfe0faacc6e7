package io.jetstreambridge.core.consume;

import java.time.Instant;
import java.util.Optional;

/** A running consumer, pull or push: what the runtime starts and stops and what health checks read. */
public interface ConsumerEngine extends AutoCloseable {

    /** {@code WAITING_FOR_DATABASE}: the consumer's database does not answer, see {@link DatabaseOutage}. */
    enum State { STARTING, RUNNING, RECOVERING, STOPPED, WAITING_FOR_DATABASE }

    ConsumerEngine start();

    State state();

    /** When the loop last showed it is alive (a fetch returned; a wait for pushed messages ended, connected). */
    Optional<Instant> lastActivity();

    Optional<Throwable> lastError();

    /** Stops taking messages, finishes those in hand within the drain timeout; the rest are redelivered. */
    @Override
    void close();
}
