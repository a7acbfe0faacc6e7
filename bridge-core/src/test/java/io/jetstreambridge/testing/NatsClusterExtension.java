package io.jetstreambridge.testing;

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
 * {@link #connect()} know every node and are closed with the cluster.
 */
public final class NatsClusterExtension extends AbstractNatsExtension<NatsCluster> {

    private final Consumer<NatsCluster.Builder> customizer;

    private NatsClusterExtension(Consumer<NatsCluster.Builder> customizer) {
        super("NATS cluster");
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

    /** The running cluster, to kill, stop or restart its nodes or find a stream's leader. */
    public NatsCluster cluster() {
        return started();
    }

    /** All nodes' client URLs, comma-separated. */
    public String urls() {
        return cluster().urls();
    }

    @Override
    NatsCluster startNew() {
        NatsCluster.Builder builder = NatsCluster.builder();
        customizer.accept(builder);
        return builder.start();
    }
}
