package io.jetstreambridge.reliability;

import static org.awaitility.Awaitility.await;

import io.jetstreambridge.reliability.app.BenchSchema;
import io.jetstreambridge.testing.NatsServer;
import io.jetstreambridge.testing.jta.PrivatePostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * F5: the consuming application's PostgreSQL crashes ({@code pg_ctl stop -m immediate}) while messages are being
 * consumed, stays down while deliveries fail, and restarts. It is a PostgreSQL cluster of the suite's own, so the
 * machine's shared one (other tests) is never touched; the publisher keeps using the shared one.
 */
@Tag("full")
class F5DatabaseRestartTest {

    private static final Duration OUTAGE = Duration.ofSeconds(5);

    @Test
    void theConsumersDatabaseCrashingAndRestartingLosesAndDoublesNothing() throws Exception {
        long started = System.currentTimeMillis();
        FaultScale scale = FaultScale.current();
        NatsServer nats = NatsServer.builder().start();
        Path dir = Path.of("target", "faults", "f5-postgres-" + System.currentTimeMillis()).toAbsolutePath();
        try (PrivatePostgres postgres = PrivatePostgres.start(dir)) {
            postgres.runScript(resource("db/jetstream-bridge/postgresql/V1__jetstream_bridge_inbox.sql"));
            postgres.runScript(BenchSchema.DDL);
            try (Pipeline run = Pipeline.builder("f5", nats.url())
                    .consumerDatabase(postgres::open, Map.of("fault.schema", "public",
                            "jsb.test.postgres.port", String.valueOf(postgres.port()),
                            "jsb.test.postgres.database", "postgres"))
                    .start()) {
                // the default back-off and max-deliver: a failing delivery is retried for about 50 s
                AppProcess consumer = run.startConsumer("consumer", Map.of("jetstream.bridge.consumer.max-deliver", "5",
                        "jetstream.bridge.consumer.backoff", "1s,5s,15s,30s"));
                run.startPublisher("publisher", "f5", scale.orders(), Map.of());
                await().atMost(Duration.ofMinutes(3)).until(() -> run.observedRows() >= scale.orders() / 4);

                long redeliveredBefore = redelivered(run);
                Instant fault = Instant.now();
                postgres.crash();
                // the outage: at least 5 s, and until the consumer has felt it: an observer's transaction failed and
                // the probe confirmed the database is down (JSB4050), so it holds its messages and stops fetching
                await().pollDelay(OUTAGE).atMost(Duration.ofMinutes(1))
                        .until(() -> consumer.currentLog().contains("JSB4050"));
                Duration outage = Duration.between(fault, Instant.now());
                long failedDeliveries = redelivered(run) - redeliveredBefore;
                postgres.startServer();
                Duration recovery = Recovery.measure(fault, run::observedRows, Duration.ofMinutes(2));

                Pipeline.Tally tally = run.settle(scale.settle(), id -> false);
                FaultRow row = tally.row("F5", "PostgreSQL crashed and restarted while consuming",
                        Recovery.format(recovery), "the consumer's own PostgreSQL 15 cluster (initdb'd by the suite "
                                + "into target/, own port) was stopped with `pg_ctl stop -m immediate` (every "
                                + "server process ended, no checkpoint) after " + scale.orders() / 4
                                + " effects, kept down " + Recovery.format(outage) + " until the consumer had told the "
                                + "outage from observer failures (JSB4050: messages held, no fetch; " + failedDeliveries
                                + " redeliveries meanwhile), then started (crash recovery from its WAL). The consumer ran with the default back-off (1s,5s,15s,30s) and "
                                + "max-deliver (5). The machine's shared PostgreSQL "
                                + "(publisher side) was not touched.");
                FaultAssertions.recordAndCheck(row, tally, run);
            }
        } finally {
            nats.close();
            ReliabilityReport.duration("F5", System.currentTimeMillis() - started);
        }
    }

    private static long redelivered(Pipeline run) {
        try {
            return run.jsm().getConsumerInfo(Pipeline.STREAM, Pipeline.DURABLE).getRedelivered();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = F5DatabaseRestartTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
