package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.testing.NatsServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * F10: nats-server stopped for much longer than the outbox's retry span (shortened here: 3 attempts, 200 ms
 * back-off, so a row whose attempts an outage counted would be {@code failed} within seconds), while the publisher
 * keeps committing. The relay must neither count the outage against the rows nor leave them failed: after the
 * restart every committed event is observed once and no outbox row is {@code failed}.
 */
@Tag("full")
class F10LongNatsOutageTest {

    private static final int MAX_ATTEMPTS = 3;
    private static final Duration BACKOFF = Duration.ofMillis(200);
    private static final Duration OUTAGE = Duration.ofSeconds(20);

    @Test
    void aNatsOutageLongerThanTheRetrySpanFailsNoRowAndLosesOrDoublesNothing() throws Exception {
        long started = System.currentTimeMillis();
        FaultScale scale = FaultScale.current();
        NatsServer nats = NatsServer.builder().start();
        try (Pipeline run = Pipeline.builder("f10", nats.url()).start()) {
            run.startConsumer("consumer", Map.of());
            run.startPublisher("publisher", "f10", scale.orders(), Map.of(
                    "jetstream.bridge.outbox.relay.max-attempts", String.valueOf(MAX_ATTEMPTS),
                    "jetstream.bridge.outbox.relay.retry-backoff", BACKOFF.toMillis() + "ms"));
            await().atMost(Duration.ofMinutes(3)).until(() -> run.committed() >= scale.orders() / 3);

            long committedAtStop = run.committed();
            nats.stop();
            Instant stopped = Instant.now();
            // while the outage lasts the suite watches the outbox: the most rows it ever saw failed
            AtomicLong failedDuringOutage = new AtomicLong();
            await().atMost(OUTAGE.plusSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                failedDuringOutage.accumulateAndGet(failedRows(run), Math::max);
                return Duration.between(stopped, Instant.now()).compareTo(OUTAGE) >= 0;
            });
            long committedDuringOutage = run.committed() - committedAtStop;
            long pendingAtRestart = run.unsentOutboxRows();
            Instant restarted = Instant.now();
            nats.restartStopped();
            Duration recovery = Recovery.measure(restarted, run::observedRows, Duration.ofMinutes(2));

            Pipeline.Tally tally = run.settle(scale.settle(), id -> false);
            long failedAfter = failedRows(run);
            Duration down = Duration.between(stopped, restarted);
            FaultRow row = tally.row("F10", "nats-server stopped longer than the outbox retry span",
                    Recovery.format(recovery) + " (after the restart)", "nats-server stopped (SIGTERM) for "
                            + down.toSeconds() + " s after " + committedAtStop + " commits, with the relay's "
                            + "retries shortened to " + MAX_ATTEMPTS + " attempts and a " + BACKOFF.toMillis()
                            + " ms back-off (a retry span of about " + retrySpanMillis() + " ms); the publisher "
                            + "committed " + committedDuringOutage + " business transactions meanwhile. At the "
                            + "restart " + pendingAtRestart + " outbox rows were pending and " + failedDuringOutage
                            + " failed (the most seen while it was down); after recovery " + failedAfter + " failed.");
            FaultAssertions.recordAndCheck(row, tally, run);
            assertThat(failedDuringOutage).as("rows failed by the outage").hasValue(0);
            assertThat(failedAfter).as("rows failed after recovery").isZero();
        } finally {
            nats.close();
            ReliabilityReport.duration("F10", System.currentTimeMillis() - started);
        }
    }

    private static long failedRows(Pipeline run) {
        return run.publisherDatabase().queryForLong(
                "SELECT COUNT(*) FROM jetstream_bridge_outbox_events WHERE status = 'failed'");
    }

    /** Back-off before each retry: 200, 400, ... ms for the attempts after the first. */
    private static long retrySpanMillis() {
        long span = 0;
        for (int attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
            span += BACKOFF.toMillis() << (attempt - 1);
        }
        return span;
    }
}
