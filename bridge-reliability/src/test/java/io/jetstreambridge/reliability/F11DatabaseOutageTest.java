package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
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
 * F11: the consuming application's PostgreSQL is down for three times the back-off span while events keep coming.
 * Without telling a database outage from an observer failure, every message fetched meanwhile used up its
 * deliveries and was dead-lettered ({@code max_deliver_exceeded}); the consumer must instead hold off until the
 * database answers, then observe every committed event once, dead-letter none and leave none in the stream. A
 * shortened back-off (1.75 s span) keeps the outage short; the private cluster is F5's.
 */
@Tag("full")
class F11DatabaseOutageTest {

    private static final String BACKOFF = "250ms,500ms,1s";
    private static final Duration BACKOFF_SPAN = Duration.ofMillis(1750);
    private static final Duration OUTAGE = BACKOFF_SPAN.multipliedBy(3);

    @Test
    void theConsumersDatabaseDownForThreeBackoffSpansDeadLettersNothingAndLosesNothing() throws Exception {
        long started = System.currentTimeMillis();
        FaultScale scale = FaultScale.current();
        NatsServer nats = NatsServer.builder().start();
        Path dir = Path.of("target", "faults", "f11-postgres-" + System.currentTimeMillis()).toAbsolutePath();
        try (PrivatePostgres postgres = PrivatePostgres.start(dir)) {
            postgres.runScript(resource("db/jetstream-bridge/postgresql/V1__jetstream_bridge_inbox.sql"));
            postgres.runScript(BenchSchema.DDL);
            try (Pipeline run = Pipeline.builder("f11", nats.url())
                    .consumerDatabase(postgres::open, Map.of("fault.schema", "public",
                            "jsb.test.postgres.port", String.valueOf(postgres.port()),
                            "jsb.test.postgres.database", "postgres"))
                    .start()) {
                AppProcess consumer = run.startConsumer("consumer", Map.of(
                        "jetstream.bridge.consumer.max-deliver", "4",
                        "jetstream.bridge.consumer.backoff", BACKOFF));
                run.startPublisher("publisher", "f11", scale.orders(), Map.of());
                await().atMost(Duration.ofMinutes(3)).until(() -> run.observedRows() >= scale.orders() / 4);

                Instant fault = Instant.now();
                long observedBefore = run.observedRows();
                postgres.crash();
                // three back-off spans, while the publisher keeps committing: nothing may be dead-lettered meanwhile
                await().during(OUTAGE).atMost(OUTAGE.plusSeconds(10)).until(() -> run.deadLettered() == 0);
                assertThat(consumer.currentLog()).contains("JSB4050");
                Duration outage = Duration.between(fault, Instant.now());
                long committedDuring = run.committed();
                postgres.startServer();
                Duration recovery = Recovery.measure(fault, run::observedRows, Duration.ofMinutes(2));

                Pipeline.Tally tally = run.settle(scale.settle(), id -> false);
                FaultRow row = tally.row("F11", "PostgreSQL down for three back-off spans while consuming",
                        Recovery.format(recovery), "the consumer's own PostgreSQL 15 cluster (as in F5) was "
                                + "stopped with `pg_ctl stop -m immediate` after " + observedBefore + " effects and "
                                + "kept down " + Recovery.format(outage) + ", three times the span of the "
                                + "shortened back-off (" + BACKOFF + ", max-deliver 4), while the publisher went on "
                                + "(" + committedDuring + " committed by the end of the outage). The consumer told "
                                + "the outage from observer failures (JSB4050), held its messages and fetched "
                                + "nothing until its probe was answered; then every event was observed once, none "
                                + "was dead-lettered and none was left in the stream.");
                FaultAssertions.recordAndCheck(row, tally, run);
                assertThat(tally.deadLettered()).as("dead-lettered%s", run.logs()).isZero();
                assertThat(run.unackedInStream()).as("left in the stream").isZero();
                assertThat(consumer.currentLog()).contains("JSB4051");
            }
        } finally {
            nats.close();
            ReliabilityReport.duration("F11", System.currentTimeMillis() - started);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = F11DatabaseOutageTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
