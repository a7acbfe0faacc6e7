package io.jetstreambridge.testing;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Options;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A JetStream cluster of real nats-server processes on the loopback interface, three nodes by default.
 *
 * <p>Node {@code i} (0-based) is named {@code n<i+1>}, has its own client, monitoring and cluster port and
 * its own directory under one cluster directory in {@code <module>/target/nats/}. {@link #start()} returns
 * once every node is healthy and the cluster can actually place a stream on all nodes, i.e. the meta
 * leader is elected and knows every peer.
 *
 * <pre>{@code
 * try (NatsCluster cluster = NatsCluster.builder().start();
 *      Connection connection = cluster.connect()) {
 *     ...create an R3 stream, publish...
 *     cluster.streamLeader("ORDERS").kill();
 * }
 * }</pre>
 */
public final class NatsCluster implements NatsFixture {

    private final Path directory;
    private final List<NatsServer> nodes;
    private final Duration startupTimeout;
    private final NatsServer.Credentials credentials;

    private NatsCluster(Path directory, List<NatsServer> nodes, Builder builder) {
        this.directory = directory;
        this.nodes = List.copyOf(nodes);
        this.startupTimeout = builder.startupTimeout;
        this.credentials = builder.credentials;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Launches all nodes at once (routes need peers to connect to) and waits until each is healthy and a
     * stream replicated to every node can be created.
     */
    public NatsCluster start() {
        try {
            nodes.forEach(NatsServer::launch);
            nodes.forEach(NatsServer::awaitReady);
            awaitJetStreamQuorum();
        } catch (RuntimeException e) {
            nodes.forEach(NatsServer::kill);
            throw e;
        }
        return this;
    }

    public List<NatsServer> nodes() {
        return nodes;
    }

    /** The node at a 0-based index; its server name is {@code n<index+1>}. */
    public NatsServer node(int index) {
        return nodes.get(index);
    }

    /** The node with this {@code server_name}, as reported by JetStream cluster info. */
    public Optional<NatsServer> nodeNamed(String serverName) {
        return nodes.stream().filter(node -> node.serverName().orElseThrow().equals(serverName)).findFirst();
    }

    public int indexOf(NatsServer node) {
        return nodes.indexOf(node);
    }

    public int size() {
        return nodes.size();
    }

    /** All client URLs, comma-separated, in the form jnats' {@code Options.Builder.server(String)} accepts. */
    public String urls() {
        return nodes.stream().map(NatsServer::url).collect(Collectors.joining(","));
    }

    /** SIGKILLs node {@code index}. */
    public void kill(int index) {
        node(index).kill();
    }

    /** Gracefully stops node {@code index}. */
    public void stop(int index) {
        node(index).stop();
    }

    /**
     * Starts node {@code index} again with its data and waits until it is healthy; on nats-server 2.9 that
     * includes having caught up with the meta leader and its stream replicas.
     */
    public void restart(int index) {
        node(index).restart();
    }

    /** Restarts every node that was stopped or killed, each with its data. */
    @Override
    public void restartStopped() {
        nodes.forEach(NatsServer::restartStopped);
    }

    /**
     * The node currently leading {@code stream}, waiting up to the startup timeout for an election to
     * finish (right after a leader was killed there may be none for a few seconds).
     */
    public NatsServer streamLeader(String stream) {
        AtomicReference<NatsServer> leader = new AtomicReference<>();
        AtomicReference<String> lastAnswer = new AtomicReference<>("(no answer)");
        Connection connection = connect();
        try {
            JetStreamManagement jsm = jetStreamManagement(connection);
            Poller.await(startupTimeout, "a running leader of stream " + stream, () -> {
                try {
                    ClusterInfo info = jsm.getStreamInfo(stream).getClusterInfo();
                    String name = info == null ? null : info.getLeader();
                    lastAnswer.set("leader=" + name);
                    nodeNamed(String.valueOf(name)).filter(NatsServer::isRunning).ifPresent(leader::set);
                } catch (IOException | JetStreamApiException e) {
                    lastAnswer.set(e.toString());
                }
                return leader.get() != null;
            }, () -> "Last answer: " + lastAnswer.get());
        } finally {
            ConnectionDefaults.close(connection);
        }
        return leader.get();
    }

    /** Connection options listing every node, so a connection fails over when a node dies. */
    @Override
    public Options.Builder connectionOptions() {
        return ConnectionDefaults.options(nodes.stream().map(NatsServer::url).toList(), credentials);
    }

    /** Opens a connection to whichever node answers; the caller closes it. */
    @Override
    public Connection connect() {
        return ConnectionDefaults.connect(connectionOptions().build());
    }

    /** Stops every node and deletes the cluster directory. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (NatsServer node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                // keep going: one stubborn node must not leave the others running
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        FixtureFiles.deleteRecursively(directory);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "nats-cluster[" + urls() + ", " + directory + "]";
    }

    /**
     * Healthy nodes are not enough: until the meta leader has heard from every peer, creating a
     * replicated stream fails with "insufficient resources". Creating and deleting a throw-away stream
     * with one replica per node proves the cluster is usable.
     */
    private void awaitJetStreamQuorum() {
        String probe = "FIXTURE_PROBE_" + UUID.randomUUID().toString().replace("-", "");
        StreamConfiguration config = StreamConfiguration.builder()
                .name(probe)
                .subjects("fixture.probe." + probe)
                .storageType(StorageType.Memory)
                .replicas(Math.min(nodes.size(), 5))
                .build();
        AtomicReference<String> lastAnswer = new AtomicReference<>("(no answer)");
        Connection connection = connect();
        try {
            JetStreamManagement jsm = jetStreamManagement(connection);
            Poller.await(startupTimeout, "the JetStream cluster to accept a stream with "
                    + config.getReplicas() + " replicas", () -> {
                try {
                    jsm.addStream(config);
                    jsm.deleteStream(probe);
                    return true;
                } catch (IOException | JetStreamApiException e) {
                    lastAnswer.set(e.toString());
                    return false;
                }
            }, () -> "Last answer: " + lastAnswer.get() + "\n" + nodes.stream()
                    .map(node -> "--- " + node + " ---\n" + node.logTail(15))
                    .collect(Collectors.joining("\n")));
        } finally {
            ConnectionDefaults.close(connection);
        }
    }

    private static JetStreamManagement jetStreamManagement(Connection connection) {
        try {
            return connection.jetStreamManagement();
        } catch (IOException e) {
            throw new NatsFixtureException("JetStream is not available on " + connection.getConnectedUrl(), e);
        }
    }

    /**
     * Options of a {@link NatsCluster}. Every setter is optional; those of {@link AbstractNatsBuilder} apply
     * to every node.
     */
    public static final class Builder extends AbstractNatsBuilder<Builder> {

        private int size = 3;
        private String name = "jsb-test";

        private Builder() {
            super(Duration.ofSeconds(60));
        }

        @Override
        Builder self() {
            return this;
        }

        /** Number of nodes, 3 by default. */
        public Builder size(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("a cluster needs at least one node, got " + size);
            }
            this.size = size;
            return this;
        }

        /** The cluster name; nodes only route to nodes with the same name. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Creates the directories and config files of all nodes; starts nothing. */
        public NatsCluster build() {
            Path directory = createUniqueDirectory("cluster");
            // one allocation for every port, so no two nodes can be handed the same one
            int[] ports = FreePorts.allocate(3 * size);
            List<Integer> clusterPorts = IntStream.range(0, size).mapToObj(i -> ports[3 * i + 2]).toList();
            List<NatsServer> nodes = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                int clusterPort = clusterPorts.get(i);
                NatsServer.Builder node = NatsServer.builder()
                        .serverName("n" + (i + 1))
                        .directory(directory.resolve("n" + (i + 1)))
                        .port(ports[3 * i])
                        .monitorPort(ports[3 * i + 1])
                        .cluster(name, clusterPort,
                                clusterPorts.stream().filter(port -> port != clusterPort).toList());
                copyNodeOptionsTo(node);
                nodes.add(node.build());
            }
            return new NatsCluster(directory, nodes, this);
        }

        /** {@link #build()} and {@link NatsCluster#start()} in one go. */
        public NatsCluster start() {
            return build().start();
        }
    }
}
