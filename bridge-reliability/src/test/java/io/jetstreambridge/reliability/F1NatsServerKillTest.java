package io.jetstreambridge.reliability;

import static org.awaitility.Awaitility.await;

import io.jetstreambridge.testing.NatsServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** F1: the nats-server process killed with -9 and restarted (same store) while events flow both ways. */
class F1NatsServerKillTest {

    @Test
    void everyCommittedEventIsObservedOnceAcrossANatsServerKill() {
        long started = System.currentTimeMillis();
        FaultScale scale = FaultScale.current();
        NatsServer nats = NatsServer.builder().start();
        try (Pipeline run = Pipeline.builder("f1", nats.url()).start()) {
            run.startConsumer("consumer", Map.of());
            run.startPublisher("publisher", "f1", scale.orders(), Map.of());
            await().atMost(Duration.ofMinutes(3)).until(() -> run.committed() >= scale.orders() / 3);

            Instant fault = Instant.now();
            long observedAtKill = run.observedRows();
            long committedAtKill = run.committed();
            nats.kill();
            nats.restart();
            Duration recovery = Recovery.measure(fault, run::observedRows, Duration.ofMinutes(2));

            Pipeline.Tally tally = run.settle(scale.settle(), id -> false);
            FaultRow row = tally.row("F1", "nats-server killed (-9) and restarted mid-load",
                    Recovery.format(recovery), "nats-server killed with SIGKILL when " + observedAtKill
                            + " effects were observed and " + committedAtKill + " business transactions committed; "
                            + "restarted at once on the same port and store. Publisher and consumer kept running.");
            FaultAssertions.recordAndCheck(row, tally, run);
        } finally {
            nats.close();
            ReliabilityReport.duration("F1", System.currentTimeMillis() - started);
        }
    }
}
