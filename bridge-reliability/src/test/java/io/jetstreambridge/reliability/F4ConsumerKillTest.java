package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.testing.NatsServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * F4: the consuming application killed after an observer's transaction committed and before the message was
 * acked, then restarted. The consumer's JVM halts itself at exactly that point ({@code fault.halt-after-commits},
 * see {@code BenchObserver}), three times in a row; the event whose commit preceded each halt is redelivered to
 * the next JVM, and the inbox must keep its observers from running again.
 */
class F4ConsumerKillTest {

    private static final Pattern HALTED = Pattern.compile("FAULT-HALT committed (\\S+),");
    private static final int KILLS = 3;

    @Test
    void anEventCommittedButNotAckedBeforeAKillIsObservedOnce() {
        long started = System.currentTimeMillis();
        FaultScale scale = FaultScale.current();
        int haltAfter = Math.max(20, scale.orders() / 8);
        NatsServer nats = NatsServer.builder().start();
        try (Pipeline run = Pipeline.builder("f4", nats.url()).start()) {
            AppProcess consumer = run.startConsumer("consumer",
                    Map.of("fault.halt-after-commits", String.valueOf(haltAfter)));
            run.startPublisher("publisher", "f4", scale.orders(), Map.of());

            List<String> haltedEvents = new ArrayList<>();
            List<Long> unackedAtKill = new ArrayList<>();
            List<Duration> recoveries = new ArrayList<>();
            for (int kill = 1; kill <= KILLS; kill++) {
                assertThat(consumer.awaitExit(Duration.ofMinutes(3))).as("exit code of the halted consumer")
                        .isEqualTo(99);
                Instant fault = Instant.now();
                Matcher halted = HALTED.matcher(consumer.log());
                String eventId = null;
                while (halted.find()) {
                    eventId = halted.group(1);
                }
                assertThat(eventId).as("the halted consumer names the event it committed").isNotNull();
                haltedEvents.add(eventId);
                assertThat(run.publisherDatabase().queryForLong("SELECT COUNT(*) FROM observed WHERE event_id = ?",
                        eventId)).as("the effect of %s was committed before the halt", eventId).isEqualTo(1);
                await().atMost(Duration.ofSeconds(10)).until(() -> run.consumerBacklog() >= 0);
                unackedAtKill.add(ackPending(run));

                boolean last = kill == KILLS;
                consumer.restart(Map.of("fault.halt-after-commits", last ? "0" : String.valueOf(haltAfter)));
                Duration recovery = Recovery.measure(fault, run::observedRows, Duration.ofMinutes(2));
                recoveries.add(recovery);
                if (recovery == null) {
                    break;
                }
            }

            Duration slowest = recoveries.contains(null) ? null
                    : recoveries.stream().max(Duration::compareTo).orElseThrow();
            Pipeline.Tally tally = run.settle(scale.settle(), id -> false);
            FaultRow row = tally.row("F4", "consumer killed after the observer's commit, before the ack "
                            + "(x" + KILLS + ")", Recovery.format(slowest) + " (slowest, includes a JVM start)",
                    "the consumer JVM halted itself (Runtime.halt) in afterCompletion of its " + haltAfter
                            + "th committed observer transaction, " + KILLS + " times; messages in flight and "
                            + "unacked at each kill: " + unackedAtKill + "; each halted event ("
                            + haltedEvents.size() + ") was redelivered after the 5 s ack wait and skipped by the "
                            + "inbox, its effect present once.");
            FaultAssertions.recordAndCheck(row, tally, run);
            for (String eventId : haltedEvents) {
                assertThat(run.publisherDatabase().queryForLong("SELECT COUNT(*) FROM observed WHERE event_id = ?",
                        eventId)).as("effects of %s, committed before a kill and redelivered", eventId)
                        .isEqualTo(1);
            }
        } finally {
            nats.close();
            ReliabilityReport.duration("F4", System.currentTimeMillis() - started);
        }
    }

    private static long ackPending(Pipeline run) {
        try {
            return run.jsm().getConsumerInfo(Pipeline.STREAM, Pipeline.DURABLE).getNumAckPending();
        } catch (Exception e) {
            return -1;
        }
    }
}
