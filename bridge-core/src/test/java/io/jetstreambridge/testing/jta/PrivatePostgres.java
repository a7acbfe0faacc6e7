package io.jetstreambridge.testing.jta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of its own ({@code initdb} into a directory under {@code target/}, or as root one the
 * {@code postgres} user can reach, see {@link #serverHome}; its own port), for work
 * that must not depend on, or disturb, the machine's shared PostgreSQL that other tests use: the fault suite crashes
 * and restarts it (F5, F11), the bench and the fault suite's scaling run measure on it with {@link #MEASURING}.
 * As root, the server programs run as the {@code postgres} user (PostgreSQL refuses to run as root). The binaries are
 * PostgreSQL 15's in {@code /usr/lib/postgresql/15/bin} unless the system property {@code jsb.test.postgres.bin}
 * names another directory. Connections: user {@code postgres}, trust, on 127.0.0.1.
 */
public final class PrivatePostgres implements AutoCloseable {

    /**
     * What the bench and the scaling run change from initdb's defaults (durability stays: fsync and synchronous
     * commit on), so that the scaling run checks the bench's costs on a server set up the same way.
     */
    public static final Map<String, String> MEASURING = measuring();

    private static Map<String, String> measuring() {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("shared_preload_libraries", "pg_stat_statements");
        settings.put("pg_stat_statements.track_planning", "on");
        settings.put("autovacuum", "on");
        // Each bench part starts on empty tables that grow to 100,000 rows in seconds; with the default one-minute
        // naptime no ANALYZE would come within a part, and the JDBC driver's cached generic plans would keep the
        // empty-table sequential scans (docs/operations.md "Table statistics"). A server in service has had its
        // tables analyzed long ago: a one-second naptime lets autovacuum keep up with the growth the same way.
        settings.put("autovacuum_naptime", "1s");
        return java.util.Collections.unmodifiableMap(settings);
    }

    private static final Path BIN = Path.of(System.getProperty("jsb.test.postgres.bin", "/usr/lib/postgresql/15/bin"));

    /** The caller's directory: the tool output ({@code pg_ctl.log}) and, at the end, the server's log. */
    private final Path dir;
    /** Where the server's own files are (data, socket, log): {@code dir}, unless its user cannot reach it. */
    private final Path home;
    private final Path data;
    private final int port;

    private PrivatePostgres(Path dir, Path home, int port) {
        this.dir = dir;
        this.home = home;
        this.data = home.resolve("data");
        this.port = port;
    }

    /** initdb and start, in {@code dir} (created), with initdb's default settings. */
    public static PrivatePostgres start(Path dir) {
        return start(dir, Map.of());
    }

    /**
     * initdb and start, in {@code dir} (created); {@code settings} (e.g. {@code shared_preload_libraries}) are
     * written to the cluster's {@code postgresql.conf}, so they hold after a restart too.
     */
    public static PrivatePostgres start(Path dir, Map<String, String> settings) {
        PrivatePostgres postgres;
        try {
            Files.createDirectories(dir);
            postgres = new PrivatePostgres(dir, serverHome(dir), freePort());
            postgres.giveToServerUser(postgres.home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        postgres.run(BIN.resolve("initdb").toString(), "-D", postgres.data.toString(), "-A", "trust", "-U",
                "postgres", "-E", "UTF8", "--no-sync");
        if (!settings.isEmpty()) {
            StringBuilder conf = new StringBuilder("\n# set by PrivatePostgres\n");
            settings.forEach((name, value) -> conf.append(name).append(" = '").append(value.replace("'", "''"))
                    .append("'\n"));
            try {
                Files.writeString(postgres.data.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        postgres.startServer();
        return postgres;
    }

    /** The port the server listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** The URL of the cluster's database {@code postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** A new auto-commit connection to the database {@code postgres}, as user {@code postgres}. */
    public Connection open() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** Runs {@code ;}-separated statements in the database {@code postgres}, each in auto-commit. */
    public void runScript(String script) {
        try (Connection connection = open(); Statement statement = connection.createStatement()) {
            for (String sql : script.split(";")) {
                if (!sql.replaceAll("(?m)^\\s*--.*$", "").isBlank()) {
                    statement.execute(sql);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("script failed on " + jdbcUrl(), e);
        }
    }

    /**
     * The process id of the server's postmaster (every other server process is its child), from
     * {@code postmaster.pid}; -1 when the server is not running.
     */
    public long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Like a crash: {@code pg_ctl stop -m immediate} ends every server process without a checkpoint. */
    public void crash() {
        run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "stop", "-m", "immediate");
    }

    /** Starts the server (after a crash it recovers from its WAL first) and waits until it accepts connections. */
    public void startServer() {
        run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", home.resolve("postgres.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + home, "start");
    }

    @Override
    public void close() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "stop", "-m", "fast");
        }
        if (!home.equals(dir)) {
            moveAway();
        }
    }

    /**
     * As root the server runs as {@code postgres}, which must reach its directory through every parent. A checkout
     * in a directory only its owner may enter ({@code mktemp -d} makes them 0700) has none it can reach, so then the
     * cluster lives in a directory of its own under {@code java.io.tmpdir}; {@link #close()} keeps its log with the
     * caller's directory and deletes the rest.
     */
    private static Path serverHome(Path dir) throws IOException {
        if (!isRoot() || reachableByOthers(dir.toAbsolutePath())) {
            return dir;
        }
        return Files.createTempDirectory("jsb-private-postgres-");
    }

    private static boolean reachableByOthers(Path dir) throws IOException {
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    private void moveAway() {
        try {
            Path log = home.resolve("postgres.log");
            if (Files.exists(log)) {
                Files.copy(log, dir.resolve("postgres.log"), StandardCopyOption.REPLACE_EXISTING);
            }
            try (var paths = Files.walk(home)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + home, e);
        }
    }

    private void run(String... command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("pg_ctl.log").toFile())).start();
            if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " failed; see " + dir.resolve("pg_ctl.log")
                        + ":\n" + Files.readString(dir.resolve("pg_ctl.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + full, e);
        }
    }

    private void giveToServerUser(Path path) throws IOException {
        if (isRoot()) {
            Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
