package io.jetstreambridge.admin;

import io.jetstreambridge.config.InvalidConfigurationException;
import io.jetstreambridge.core.connection.ConnectionFailedException;

/** The exit codes of every command, documented in {@code docs/operations.md} and in {@code --help}. */
final class AdminExit {

    /** Done; every check passed. */
    static final int OK = 0;
    /** A check failed: health DOWN, provisioning refused or drifted, JetStream unavailable, a replay refused. */
    static final int CHECK_FAILED = 1;
    /** Usage or configuration error: picocli's own code for a bad command line, reused for bad settings. */
    static final int USAGE = 2;
    /** NATS (or, for the outbox commands, the database) cannot be reached or refuses the credentials. */
    static final int CANNOT_CONNECT = 3;

    private AdminExit() {
    }

    /** The code for a failure that ended a command. */
    static int of(Throwable failure) {
        if (failure instanceof InvalidConfigurationException || failure instanceof UsageException) {
            return USAGE;
        }
        if (failure instanceof ConnectionFailedException
                || failure instanceof OutboxDatabase.DatabaseUnavailableException) {
            return CANNOT_CONNECT;
        }
        return CHECK_FAILED;
    }
}
