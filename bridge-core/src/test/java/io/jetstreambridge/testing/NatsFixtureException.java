package io.jetstreambridge.testing;

/**
 * Raised when the NATS test fixture cannot do what a test asked of it: a server that does not become
 * ready, a process that will not die, a store directory that cannot be created.
 *
 * <p>It is unchecked on purpose: fixture failures are setup errors, they must fail the test loudly and
 * there is nothing a test could sensibly do to recover.
 */
public class NatsFixtureException extends RuntimeException {

    public NatsFixtureException(String message) {
        super(message);
    }

    public NatsFixtureException(String message, Throwable cause) {
        super(message, cause);
    }
}
