package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.testing.NatsServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * F14: slow observers whose batches outlast the processing timeout, under load. Every other order's observer takes
 * 250 ms, so a batch of 10 takes about 1.25 s against a processing timeout of 1 s, although every event alone fits:
 * the batch's transaction gives up and its events are handled one by one. The messages must stay kept alive
 * throughout, so that the server never hands one to the other worker while its observer still runs (the observer
 * prints {@code FAULT-OVERLAP} when one runs twice at the same time); nothing lost, nothing doubled, nothing
 * dead-lettered.
 */
@Tag("full")
class F14SlowBatchTest {

    private static final int SLOW_EVERY = 2;
    private static final Pattern OVERLAP = Pattern.compile("FAULT-OVERLAP (\\S+)");

    @Test
    void batchesOutlastingTheProcessingTimeoutAreNeverHandledTwiceAtTheSameTime() {
        long started = System.currentTimeMillis();
        FaultScale scale = FaultScale.current();
        int orders = Math.min(scale.orders(), 600); // about 2 s of observer work per batch of 10: keep it bounded
        NatsServer nats = NatsServer.builder().start();
        try (Pipeline run = Pipeline.builder("f14", nats.url()).start()) {
            AppProcess consumer = run.startConsumer("consumer", Map.of("fault.slow-millis", "250",
                    "jetstream.bridge.consumer.batch-size", "10",
                    "jetstream.bridge.consumer.processing-timeout", "1s"));
            run.startPublisher("publisher", "f14", orders, Map.of("fault.slow-every", String.valueOf(SLOW_EVERY)));

            Pipeline.Tally tally = run.settle(scale.settle(), id -> false);
            List<String> overlaps = overlaps(consumer.currentLog());
            long expired = consumer.currentLog().lines().filter(line -> line.contains("JSB4032")).count();

            FaultRow row = tally.row("F14", "slow observers, batches outlasting the processing timeout", "-",
                    "every " + SLOW_EVERY + "nd order's observer takes 250 ms; batches of 10 (about 1.25 s) against "
                            + "a 1 s processing timeout, 2 workers; " + orders + " business transactions. Observers "
                            + "running twice at the same time: " + overlaps.size() + overlaps.stream().limit(5)
                            .map(id -> " " + id).reduce("", String::concat) + "; keep-alives that expired while "
                            + "a message waited its turn (JSB4032): " + expired + ".");
            FaultAssertions.recordAndCheck(row, tally, run);
            assertThat(overlaps).as("orders whose observer ran twice at the same time%s", run.logs()).isEmpty();
            assertThat(tally.deadLettered()).as("dead-lettered").isZero();
        } finally {
            nats.close();
            ReliabilityReport.duration("F14", System.currentTimeMillis() - started);
        }
    }

    private static List<String> overlaps(String log) {
        Matcher matcher = OVERLAP.matcher(log);
        List<String> ids = new java.util.ArrayList<>();
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }
}
