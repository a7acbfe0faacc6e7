package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.testing.NatsServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * F13: an observer that recurses until {@link StackOverflowError} for some events, under load. Such an error used to
 * end the worker thread for good while health stayed UP, until no worker was left. Each of those events must end in
 * the DLQ ({@code max_deliver_exceeded}, after its retries), every other event be observed once, and every worker of
 * the consumer be alive at the end (the consumer reports its live worker threads every second).
 */
class F13StackOverflowTest {

    private static final int OVERFLOW_EVERY = 20;
    private static final int WORKERS = 2;
    private static final Pattern INDEX = Pattern.compile("-(\\d+)$");
    private static final Pattern WORKERS_ALIVE = Pattern.compile("FAULT-APP workers alive (\\d+)");

    @Test
    void eventsWhoseObserverOverflowsItsStackAreDeadLetteredAndEveryWorkerLivesOn() throws Exception {
        long started = System.currentTimeMillis();
        FaultScale scale = FaultScale.current();
        NatsServer nats = NatsServer.builder().start();
        try (Pipeline run = Pipeline.builder("f13", nats.url()).start()) {
            AppProcess consumer = run.startConsumer("consumer", Map.of("fault.report-workers", "true",
                    "jetstream.bridge.consumer.concurrency", String.valueOf(WORKERS)));
            run.startPublisher("publisher", "f13", scale.orders(),
                    Map.of("fault.overflow-every", String.valueOf(OVERFLOW_EVERY)));

            Predicate<String> overflowing = F13StackOverflowTest::overflows;
            Pipeline.Tally tally = run.settle(scale.settle(), overflowing);
            long expectedDlq = run.committedIds().stream().filter(overflowing).count();
            boolean allDeadLettered = reaches(() -> run.deadLettered() >= expectedDlq);
            tally = run.tally(overflowing);
            long stuck = run.unackedInStream();
            Map<String, Integer> reasons = new TreeMap<>();
            run.deadLetterReasons().forEach(reason -> reasons.merge(reason, 1, Integer::sum));
            // the report after the flow settled: a worker killed by an overflow would be missing from it
            String logAtEnd = consumer.currentLog();
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.currentLog().length() > logAtEnd.length());
            long alive = lastWorkersAlive(consumer.currentLog());

            FaultRow row = tally.row("F13", "observer overflowing its stack for some events", "-",
                    "every " + OVERFLOW_EVERY + "th order's observer recurses until StackOverflowError ("
                            + expectedDlq + " such orders, committed, never observed); consumer with " + WORKERS
                            + " workers, " + alive + " alive at the end. DLQ reasons: " + reasons
                            + " (lost counts only events that should have been observed). Messages left unacked in "
                            + "the stream: " + stuck + (allDeadLettered ? "" : "; **expected " + expectedDlq
                            + " dead-lettered**") + (alive == WORKERS ? "" : "; **workers died**"));
            FaultAssertions.recordAndCheck(row, tally, run);
            assertThat(stuck).as("messages neither processed nor dead-lettered%s", run.logs()).isZero();
            assertThat(tally.deadLettered()).isEqualTo(expectedDlq);
            assertThat(reasons).containsExactly(Map.entry("max_deliver_exceeded", (int) expectedDlq));
            assertThat(alive).as("worker threads alive at the end%s", run.logs()).isEqualTo(WORKERS);
        } finally {
            nats.close();
            ReliabilityReport.duration("F13", System.currentTimeMillis() - started);
        }
    }

    private static long lastWorkersAlive(String log) {
        Matcher matcher = WORKERS_ALIVE.matcher(log);
        long alive = -1;
        while (matcher.find()) {
            alive = Long.parseLong(matcher.group(1));
        }
        return alive;
    }

    /** Whether the condition becomes true within a minute (false instead of an exception, to report the counts). */
    private static boolean reaches(java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(Duration.ofMinutes(1)).until(condition);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    private static boolean overflows(String orderId) {
        Matcher matcher = INDEX.matcher(orderId);
        return matcher.find() && Integer.parseInt(matcher.group(1)) % OVERFLOW_EVERY == 1;
    }
}
