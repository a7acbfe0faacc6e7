package io.jetstreambridge.bench;

import io.jetstreambridge.testing.jta.PrivatePostgres;
import io.jetstreambridge.testing.jta.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The bench's own PostgreSQL: a cluster {@code initdb}'d into {@code target/postgres} on a port of its own
 * ({@link PrivatePostgres}), with initdb's defaults plus {@link #SETTINGS}, so the figures do not depend on how the
 * machine's server happens to be set up (the CI server runs without autovacuum) and nothing else's load on that server
 * ends up in them. Every measured part goes through {@link #begin()}: pg_stat_statements reset, CPU counters read.
 */
final class BenchDatabase implements AutoCloseable {

    /** What differs from initdb's defaults. */
    static final Map<String, String> SETTINGS = PrivatePostgres.MEASURING;

    private final PrivatePostgres cluster;
    private final TestDatabase statsSchema;
    private final StatementStats statements;
    private final long natsServerPid;

    private BenchDatabase(PrivatePostgres cluster, long natsServerPid) {
        this.cluster = cluster;
        this.natsServerPid = natsServerPid;
        cluster.runScript("CREATE DATABASE test");
        this.statsSchema = schema("stats");
        this.statements = new StatementStats(statsSchema);
        statements.install();
    }

    /** A fresh cluster in {@code dir} (whatever an earlier run left there is deleted first). */
    static BenchDatabase start(Path dir, long natsServerPid) {
        deleteTree(dir);
        PrivatePostgres cluster = PrivatePostgres.start(dir, SETTINGS);
        try {
            BenchDatabase database = new BenchDatabase(cluster, natsServerPid);
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "bench-postgres-stop"));
            return database;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** A fresh schema of the cluster's database {@code test}, for one JPA harness. */
    TestDatabase schema(String hint) {
        return TestDatabase.postgresThrough(cluster.port(), hint);
    }

    int port() {
        return cluster.port();
    }

    /** A plain connection's view of the cluster, for its version and settings. */
    TestDatabase anySchema() {
        return statsSchema;
    }

    /** Starts a measured part: resets pg_stat_statements and reads the CPU counters. */
    Probe begin() {
        statements.reset();
        return new Probe(CpuSplit.begin(cluster.postmasterPid(), natsServerPid));
    }

    /** A measured part under way. */
    final class Probe {

        private final CpuSplit cpu;

        private Probe(CpuSplit cpu) {
            this.cpu = cpu;
        }

        /** Ends the part: what it used for {@code events} events. */
        Usage end(long events) {
            CpuSplit.Result used = cpu.end();
            return new Usage(events, used, statements.read());
        }
    }

    @Override
    public void close() {
        try {
            statsSchema.close();
        } finally {
            cluster.close();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir + " (is a server of an earlier run still "
                    + "running there? bash .ci/bench.sh stops it)", e);
        }
    }
}
