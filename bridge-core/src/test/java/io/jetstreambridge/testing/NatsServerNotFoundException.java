package io.jetstreambridge.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code nats-server} binary could not be found.
 *
 * <p>Tests that need a broker must fail, never be skipped, when it is missing: a skipped suite on a CI
 * box without the binary would look green while testing nothing. The message therefore says how to fix
 * the machine.
 */
public final class NatsServerNotFoundException extends NatsFixtureException {

    /** The installation hint every message carries, kept in one place so tests can assert on it. */
    public static final String INSTALL_HINT =
            "Install it with `apt-get install -y nats-server` or set NATS_SERVER_BIN to the path of the binary.";

    NatsServerNotFoundException(List<Path> candidates) {
        super("nats-server was not found (looked at: " + describe(candidates) + "). " + INSTALL_HINT);
    }

    NatsServerNotFoundException(String source, Path explicit) {
        super("nats-server was not found at " + explicit + " (configured by " + source + "). " + INSTALL_HINT);
    }

    private static String describe(List<Path> candidates) {
        return candidates.isEmpty()
                ? "nothing"
                : candidates.stream().map(Path::toString).collect(Collectors.joining(", "));
    }
}
