package io.jetstreambridge.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the {@code nats-server} executable.
 *
 * <p>Order: an explicit path from the builder, the {@code NATS_SERVER_BIN} environment variable, the
 * {@code PATH}, then the usual install locations of the Debian package and of a manual install. An
 * explicitly configured path that does not exist is an error rather than a reason to keep looking:
 * silently running a different binary than the one asked for would hide a broken CI setup.
 */
final class NatsServerBinary {

    static final String ENV_VARIABLE = "NATS_SERVER_BIN";
    private static final String NAME = "nats-server";
    private static final List<Path> WELL_KNOWN =
            List.of(Path.of("/usr/sbin/nats-server"), Path.of("/usr/local/bin/nats-server"));

    private NatsServerBinary() {
    }

    /** Resolves the binary from the real environment, honouring {@code explicit} when it is not null. */
    static Path resolve(Path explicit) {
        return resolve(explicit, System.getenv(), WELL_KNOWN);
    }

    /** Same as {@link #resolve(Path)} with the environment passed in, so tests need not mutate the real one. */
    static Path resolve(Path explicit, Map<String, String> env, List<Path> wellKnown) {
        if (explicit != null) {
            return requireExecutable(explicit, "NatsServer.Builder.binary(...)");
        }
        String fromEnv = env.get(ENV_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return requireExecutable(toPath(fromEnv), "the " + ENV_VARIABLE + " environment variable");
        }
        List<Path> candidates = new ArrayList<>();
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(toPath(dir).resolve(NAME));
            }
        }
        candidates.addAll(wellKnown);
        return candidates.stream()
                .filter(NatsServerBinary::isExecutable)
                .findFirst()
                .orElseThrow(() -> new NatsServerNotFoundException(candidates));
    }

    private static Path requireExecutable(Path candidate, String source) {
        if (!isExecutable(candidate)) {
            throw new NatsServerNotFoundException(source, candidate);
        }
        return candidate;
    }

    private static boolean isExecutable(Path candidate) {
        return Files.isRegularFile(candidate) && Files.isExecutable(candidate);
    }

    private static Path toPath(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            // an unusable PATH entry is just a place where the binary is not
            return Path.of("/nonexistent", NAME);
        }
    }
}
