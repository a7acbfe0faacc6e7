package io.jetstreambridge.bench;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.outbox.JpaOutboxStore;
import io.jetstreambridge.core.outbox.OutboxDialect;
import io.jetstreambridge.core.relay.OutboxRelay;
import io.jetstreambridge.core.relay.RelayListener;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;
import io.jetstreambridge.core.transaction.JtaTransactions;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.nats.client.Connection;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * B2: the outbox relay drains {@code relayRows} pending rows (written with one SQL statement beforehand) until
 * JetStream acked each and it is deleted (the default outbox.sent-rows), with the relay's own settings (batch size, async window).
 */
final class RelayBench {

    /** @param provider the JPA provider the relay's transactions ran on */
    record Result(String provider, int rows, double perSecond, int batchSize, int window, Usage usage) {
    }

    private final BenchDatabase database;
    private final String provider;
    private final JpaHarness jpa;
    private final Connection connection;
    private final BridgeConfig config;
    /** The relay's second lane, as the container's managed executor gives it in the application. */
    private final ExecutorService lane = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "bench-relay-lane");
        thread.setDaemon(true);
        return thread;
    });

    RelayBench(BenchDatabase database, String provider, JpaHarness jpa, Connection connection, BridgeConfig config) {
        this.database = database;
        this.provider = provider;
        this.jpa = jpa;
        this.connection = connection;
        this.config = config;
    }

    Result run(BenchSettings settings) throws Exception {
        try {
            return drain(settings);
        } finally {
            lane.shutdownNow();
        }
    }

    private Result drain(BenchSettings settings) throws Exception {
        insertPending(settings.relayRows() / 10, "warm");
        relay().sweep();
        jpa.database().execute("TRUNCATE jetstream_bridge_outbox_events");
        insertPending(settings.relayRows(), "drain");

        OutboxRelay relay = relay();
        BenchDatabase.Probe probe = database.begin();
        long start = System.nanoTime();
        int published = relay.sweep();
        long nanos = System.nanoTime() - start;
        Usage used = probe.end(published);

        // sent rows are deleted (outbox.sent-rows=delete, the default) or kept as 'sent': none may be left unsent
        long unsent = jpa.database().queryForLong(
                "SELECT COUNT(*) FROM jetstream_bridge_outbox_events WHERE status <> 'sent'");
        if (published != settings.relayRows() || unsent != 0) {
            throw new IllegalStateException("B2: relay published " + published + " of " + settings.relayRows()
                    + ", " + unsent + " rows left unsent");
        }
        jpa.database().execute("TRUNCATE jetstream_bridge_outbox_events");
        return new Result(provider, settings.relayRows(), Figures.perSecond(published, nanos),
                config.outbox().batchSize(), config.publish().asyncWindow(), used);
    }

    private OutboxRelay relay() throws Exception {
        return new OutboxRelay(new JpaOutboxStore(OutboxDialect.POSTGRESQL),
                new JtaTransactions(jpa.userTransaction(), jpa::entityManager), connection.jetStream(),
                config.topology().stream(), config.outbox(), config.publish().ackTimeout(),
                config.publish().asyncWindow(), Clock.systemUTC(), "bench-relay", RelayListener.NONE,
                BridgeTelemetry.NONE, lane);
    }

    /** Rows as the outbox publisher writes them, due an hour ago (past the fast path's grace period). */
    private void insertPending(int rows, String kind) {
        String subject = config.topology().publishSubject();
        jpa.database().execute("INSERT INTO jetstream_bridge_outbox_events (event_id, event_type, resource_type, "
                + "resource_id, subject, payload, status, attempts, created_at, next_attempt_at) "
                + "SELECT '" + kind + "-' || g, 'order.created', 'order', 'O-' || g, ?, "
                + "'{\"event_id\":\"" + kind + "-' || g || '\",\"schema_version\":1,\"event_type\":\"order.created\","
                + "\"producer\":\"bench\",\"resource_type\":\"order\",\"resource_id\":\"O-' || g || '\","
                + "\"occurred_at\":\"2026-11-27T06:00:00Z\",\"trace_id\":\"0123456789abcdef\","
                + "\"payload\":{\"id\":\"O-' || g || '\",\"total\":' || (g % 1000) || '}}', 'pending', 0, "
                + "(now() at time zone 'utc') - interval '1 hour', (now() at time zone 'utc') - interval '1 hour' "
                + "FROM generate_series(1, " + rows + ") g", subject);
    }
}
