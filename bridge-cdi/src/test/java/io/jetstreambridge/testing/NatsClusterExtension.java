package io.jetstreambridge.testing;

import io.nats.client.Connection;
import io.nats.client.Options;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * JUnit 5 extension that gives a test class a real JetStream cluster, three nodes by default.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NatsClusterExtension CLUSTER = NatsClusterExtension.create();
 * }</pre>
 *
 * <p>Same lifecycle as {@link NatsServerExtension}: one cluster per class (or per test on an instance
 * field), nodes a test stopped or killed are restarted before the next test, connections from
 * {@link #connect()} are closed with the cluster.
 */
public final class NatsClusterExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private final Consumer<NatsCluster.Builder> customizer;
    private final OpenConnections connections = new OpenConnections();
    private NatsCluster cluster;
    /** Unique id of the JUnit context that started the cluster: nested classes must not start a second one. */
    private String owner;

    private NatsClusterExtension(Consumer<NatsCluster.Builder> customizer) {
        this.customizer = Objects.requireNonNull(customizer, "customizer");
    }

    /** Three nodes, no authorization. */
    public static NatsClusterExtension create() {
        return new NatsClusterExtension(builder -> {
        });
    }

    /** A cluster whose builder the caller adjusts: size, extra config, credentials... */
    public static NatsClusterExtension create(Consumer<NatsCluster.Builder> customizer) {
        return new NatsClusterExtension(customizer);
    }

    /** A cluster with this text appended to every node's config file. */
    public static NatsClusterExtension withConfig(String extraConfig) {
        Objects.requireNonNull(extraConfig, "extraConfig");
        return new NatsClusterExtension(builder -> builder.extraConfig(extraConfig));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startIfAbsent(context);
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        if (startIfAbsent(context)) {
            return;
        }
        for (NatsServer node : cluster.nodes()) {
            if (!node.isRunning()) {
                node.restart();
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeIfOwner(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeIfOwner(context);
    }

    public synchronized NatsCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("The NATS cluster is not started: register NatsClusterExtension with "
                    + "@RegisterExtension and use it from test or lifecycle methods.");
        }
        return cluster;
    }

    /** All nodes' client URLs, comma-separated. */
    public String urls() {
        return cluster().urls();
    }

    /** A connection that knows every node, closed by the extension after the class. */
    public Connection connect() {
        return connect(options -> {
        });
    }

    /** A connection whose options the caller adjusts, closed by the extension after the class. */
    public Connection connect(Consumer<Options.Builder> customizer) {
        Options.Builder options = cluster().connectionOptions();
        customizer.accept(options);
        return connections.track(ConnectionDefaults.connect(options.build()));
    }

    /** Deletes every stream of the fixture user's account. */
    public void cleanJetStream() {
        Connection connection = cluster().connect();
        try {
            JetStreamCleaner.deleteAllStreams(connection);
        } finally {
            ConnectionDefaults.close(connection);
        }
    }

    /** @return whether this call started the cluster */
    private synchronized boolean startIfAbsent(ExtensionContext context) {
        if (cluster != null) {
            return false;
        }
        NatsCluster.Builder builder = NatsCluster.builder();
        customizer.accept(builder);
        // a cluster that fails to start is already killed; its directory stays in target/nats for inspection
        cluster = builder.build().start();
        owner = context.getUniqueId();
        return true;
    }

    private synchronized void closeIfOwner(ExtensionContext context) {
        if (cluster == null || !context.getUniqueId().equals(owner)) {
            return;
        }
        try {
            connections.closeAll();
        } finally {
            cluster.close();
            cluster = null;
            owner = null;
        }
    }
}
