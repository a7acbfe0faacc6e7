package io.jetstreambridge.bench;

import io.jetstreambridge.testing.jta.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Does autovacuum's work on the bench's tables when the server runs without it (this machine's CI configuration
 * turns it off). Without fresh statistics the JDBC driver's cached generic plans, made while a table was nearly
 * empty, keep scanning the whole table as it grows: the inbox lookup fell from 3,300 to 300 batches of 25 per
 * second within a minute. A production server with autovacuum on re-plans after its own ANALYZE; this makes the
 * bench measure that server, not the disabled maintenance: {@code ANALYZE} every {@link #INTERVAL_SECONDS} s (cheap,
 * and what keeps the plans right on the bench's freshly emptied tables) and {@code VACUUM} at autovacuum's default
 * pace, once a minute.
 */
final class AutovacuumStandIn implements AutoCloseable {

    static final long INTERVAL_SECONDS = 5;
    static final long VACUUM_SECONDS = 60;

    private final TestDatabase database;
    private final List<String> tables;
    private final ScheduledExecutorService timer;
    private long rounds;

    private AutovacuumStandIn(TestDatabase database, List<String> tables, boolean needed) {
        this.database = database;
        this.tables = tables;
        this.timer = needed ? Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-autovacuum-stand-in");
            thread.setDaemon(true);
            return thread;
        }) : null;
        if (timer != null) {
            timer.scheduleWithFixedDelay(this::vacuumAnalyze, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Starts the periodic maintenance of {@code tables} only when the server's autovacuum is off. */
    static AutovacuumStandIn startWhenOff(TestDatabase database, List<String> tables) {
        return new AutovacuumStandIn(database, tables, autovacuumOff(database));
    }

    boolean active() {
        return timer != null;
    }

    private void vacuumAnalyze() {
        boolean vacuum = ++rounds % (VACUUM_SECONDS / INTERVAL_SECONDS) == 0;
        try (Connection connection = database.openConnection(); Statement statement = connection.createStatement()) {
            for (String table : tables) {
                statement.execute((vacuum ? "VACUUM (ANALYZE) " : "ANALYZE ") + table);
            }
        } catch (SQLException e) {
            System.out.println("autovacuum stand-in: " + e.getMessage());
        }
    }

    private static boolean autovacuumOff(TestDatabase database) {
        try (Connection connection = database.openConnection(); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SHOW autovacuum")) {
            return rows.next() && "off".equalsIgnoreCase(rows.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the server's autovacuum setting", e);
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
