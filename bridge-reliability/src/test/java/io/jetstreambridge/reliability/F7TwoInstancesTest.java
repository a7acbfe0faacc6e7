package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.testing.NatsServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

/**
 * F7: two instances of each application: two publisher JVMs writing to and relaying from one outbox table, two
 * consumer JVMs sharing one durable consumer and one inbox table. One consumer instance is killed mid-load and
 * started again, so its unacked messages move to the other instance.
 */
@Tag("full")
class F7TwoInstancesTest {

    @Test
    void twoPublishersOnOneOutboxAndTwoConsumersOnOneDurableObserveEveryEventOnce() {
        long started = System.currentTimeMillis();
        FaultScale scale = FaultScale.current();
        NatsServer nats = NatsServer.builder().start();
        try (Pipeline run = Pipeline.builder("f7", nats.url()).start()) {
            AppProcess consumerA = run.startConsumer("consumer-a", Map.of());
            run.startConsumer("consumer-b", Map.of());
            run.startPublisher("publisher-a", "f7a", scale.orders() / 2, Map.of());
            run.startPublisher("publisher-b", "f7b", scale.orders() / 2, Map.of());
            await().atMost(Duration.ofMinutes(3)).until(() -> run.observedRows() >= scale.orders() / 4);

            consumerA.kill();
            consumerA.restart(Map.of());

            Pipeline.Tally tally = run.settle(scale.settle(), id -> false);
            long byA = instanceEffects(run, "consumer-a");
            long byB = instanceEffects(run, "consumer-b");
            FaultRow row = tally.row("F7", "two instances of each application (one outbox table, one durable)",
                    "-", "two publisher JVMs (" + scale.orders() / 2 + " business transactions each) on one outbox "
                            + "table, two consumer JVMs on one durable and one inbox table; consumer-a was killed "
                            + "(-9) and restarted mid-load. Effects by consumer-a: " + byA + ", by consumer-b: " + byB
                            + ".");
            FaultAssertions.recordAndCheck(row, tally, run);
            assertThat(byA).as("consumer-a took part").isPositive();
            assertThat(byB).as("consumer-b took part").isPositive();
        } finally {
            nats.close();
            ReliabilityReport.duration("F7", System.currentTimeMillis() - started);
        }
    }

    private static long instanceEffects(Pipeline run, String instance) {
        return run.publisherDatabase().queryForLong("SELECT COUNT(*) FROM observed WHERE instance = ?", instance);
    }
}
