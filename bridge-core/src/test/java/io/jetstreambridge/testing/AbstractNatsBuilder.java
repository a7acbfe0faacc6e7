package io.jetstreambridge.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The options {@link NatsServer.Builder} and {@link NatsCluster.Builder} share. Every setter is optional.
 *
 * @param <B> the concrete builder, which the fluent setters return
 */
abstract class AbstractNatsBuilder<B extends AbstractNatsBuilder<B>> {

    Path rootDirectory;
    Path binary;
    Duration startupTimeout;
    NatsServer.Credentials credentials;
    final List<String> extraConfig = new ArrayList<>();
    final List<String> jetStreamConfig = new ArrayList<>();

    AbstractNatsBuilder(Duration defaultStartupTimeout) {
        this.startupTimeout = defaultStartupTimeout;
    }

    /** {@code this}, typed as the concrete builder. */
    abstract B self();

    /** Creates the fresh directory under this one instead of {@code <module>/target/nats}. */
    public B rootDirectory(Path rootDirectory) {
        this.rootDirectory = Objects.requireNonNull(rootDirectory, "rootDirectory");
        return self();
    }

    /**
     * Uses this binary instead of looking in {@code NATS_SERVER_BIN}, the {@code PATH},
     * {@code /usr/sbin} and {@code /usr/local/bin}. A path that does not exist makes
     * {@code start()} fail with {@link NatsServerNotFoundException}.
     */
    public B binary(Path binary) {
        this.binary = Objects.requireNonNull(binary, "binary");
        return self();
    }

    /**
     * How long {@code start()} waits for each step of getting ready; generous by default
     * (30 s for a server, 60 s for a cluster) because CI boxes are often loaded.
     */
    public B startupTimeout(Duration startupTimeout) {
        this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
        return self();
    }

    /**
     * Configuration text appended to the generated file (of every node), e.g. {@code authorization { ... }},
     * {@code accounts { ... }}, {@code tls { ... }}, {@code max_payload: 64KB}. May be called several times.
     * Do not add a {@code jetstream} block here: it would replace the generated one, store directory
     * included; use {@link #jetStreamConfig(String)}.
     */
    public B extraConfig(String config) {
        extraConfig.add(Objects.requireNonNull(config, "config"));
        return self();
    }

    /** Lines placed inside the generated {@code jetstream { }} block, e.g. {@code max_memory_store: 64MB}. */
    public B jetStreamConfig(String config) {
        jetStreamConfig.add(Objects.requireNonNull(config, "config"));
        return self();
    }

    /**
     * User and password for the connections the fixture opens ({@code connect()}, the JUnit extensions,
     * the cluster start-up probe). Needed once {@link #extraConfig} turns on authorization; the user
     * should be allowed to use the JetStream API.
     */
    public B credentials(String user, String password) {
        this.credentials = new NatsServer.Credentials(Objects.requireNonNull(user, "user"),
                Objects.requireNonNull(password, "password"));
        return self();
    }

    /** A fresh directory named {@code <prefix>-<random>} under the {@link #rootDirectory root directory}. */
    Path createUniqueDirectory(String prefix) {
        return FixtureFiles.createUniqueDirectory(
                rootDirectory != null ? rootDirectory : FixtureFiles.defaultRoot(), prefix);
    }

    /** Hands the options every node of a cluster shares on to {@code node}; its directory is its own. */
    void copyNodeOptionsTo(AbstractNatsBuilder<?> node) {
        node.binary = binary;
        node.startupTimeout = startupTimeout;
        node.credentials = credentials;
        node.extraConfig.addAll(extraConfig);
        node.jetStreamConfig.addAll(jetStreamConfig);
    }
}
