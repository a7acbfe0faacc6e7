package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.outbox.cdi.OutboxMaintenanceService;
import io.jetstreambridge.outbox.cdi.OutboxRuntime;
import io.jetstreambridge.publish.PublishException;
import io.jetstreambridge.reliability.app.BenchOrder;
import io.jetstreambridge.reliability.app.BenchOrderService;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.BridgeRuntime;
import io.jetstreambridge.testing.NatsServer;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.nats.client.JetStream;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * F6: poison mixed into the flow. Raw messages that are not JSON or have no {@code event_type}; orders whose
 * observer always throws, and orders whose observer throws {@code UnrecoverableEventException}; an event larger
 * than the server's max payload, refused to its caller. Each poison lands in the DLQ with its reason, and every
 * other event is observed once.
 */
class F6PoisonTest {

    private static final int POISON_EVERY = 25;
    private static final int RAW_EACH = 5;
    private static final Pattern INDEX = Pattern.compile("-(\\d+)$");

    @Test
    void poisonGoesToTheDeadLetterSubjectWithItsReasonAndEverythingElseFlows() throws Exception {
        long started = System.currentTimeMillis();
        FaultScale scale = FaultScale.current();
        NatsServer nats = NatsServer.builder().start();
        try (Pipeline run = Pipeline.builder("f6", nats.url()).start()) {
            run.startConsumer("consumer", Map.of());
            run.startPublisher("publisher", "f6", scale.orders(),
                    Map.of("fault.poison-every", String.valueOf(POISON_EVERY)));
            await().atMost(Duration.ofMinutes(3)).until(() -> run.committed() >= scale.orders() / 3);

            JetStream js = run.natsConnection().jetStream();
            String subject = Pipeline.PUBLISHER_APP + ".sync." + Pipeline.CONSUMER_APP;
            for (int i = 0; i < RAW_EACH; i++) {
                raw(js, subject, "raw-malformed-" + i, "{\"event_type\": \"order.created\", \"payload\": ");
                raw(js, subject, "raw-untyped-" + i, "{\"event_id\":\"raw-untyped-" + i
                        + "\",\"schema_version\":1,\"payload\":{\"order\":\"none\"}}");
            }
            String oversizedError = publishOversized(run);

            Predicate<String> poison = F6PoisonTest::isPoison;
            Pipeline.Tally tally = run.settle(scale.settle(), poison);
            // counted once the publisher has finished: every committed poison order, and the raw messages
            long poisonOrders = run.committedIds().stream().filter(poison).count();
            long expectedDlq = poisonOrders + 2L * RAW_EACH;
            boolean allDeadLettered = reaches(() -> run.deadLettered() >= expectedDlq);
            tally = run.tally(poison);
            long stuck = run.unackedInStream();
            String stuckSequences = stuck == 0 ? "" : " stream sequences " + run.unackedSequences();

            Map<String, Integer> reasons = new TreeMap<>();
            run.deadLetterReasons().forEach(reason -> reasons.merge(reason, 1, Integer::sum));
            FaultRow row = tally.row("F6", "poison inputs mixed into the flow", "-", RAW_EACH
                    + " messages that are not JSON and " + RAW_EACH + " without event_type published raw "
                    + "into the consumer's subject; every " + POISON_EVERY + "th order's observer always throws, "
                    + "the next one's throws UnrecoverableEventException (" + poisonOrders + " poison orders, "
                    + "committed, never observed); an order with a 2 MiB payload was refused to its caller: \""
                    + oversizedError + "\" and left no order and no outbox row. DLQ reasons: " + reasons
                    + " (lost counts only events that should have been observed). Messages left unacked in the "
                    + "stream: " + stuck + stuckSequences + (allDeadLettered ? "" : "; **expected " + expectedDlq
                    + " dead-lettered**"));
            FaultAssertions.recordAndCheck(row, tally, run);
            assertThat(stuck).as("messages neither processed nor dead-lettered:%s%s", stuckSequences, run.logs())
                    .isZero();
            assertThat(tally.deadLettered()).isEqualTo(expectedDlq);
            long throwing = run.committedIds().stream().filter(id -> index(id) % POISON_EVERY == 1).count();
            assertThat(reasons).containsEntry("malformed_json", 2 * RAW_EACH)
                    .containsEntry("max_deliver_exceeded", (int) throwing)
                    .containsEntry("unrecoverable", (int) (poisonOrders - throwing));
        } finally {
            nats.close();
            ReliabilityReport.duration("F6", System.currentTimeMillis() - started);
        }
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

    /** A business transaction whose event is over max_payload, from a publisher in this JVM. */
    private static String publishOversized(Pipeline run) {
        JpaHarness jpa = JpaHarness.builder().database(run.publisherDatabase()).keepDatabase()
                .entities(OutboxEvent.class, BenchOrder.class).start();
        try (JtaContainer app = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, BridgeEntityManagers.class,
                        BenchOrderService.class)
                .config(run.publisherSettings("f6-huge", 0, Map.of())).start()) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> app.select(BridgeRuntime.class).currentConnection().isPresent());
            Throwable refused = catchThrowable(() -> app.select(BenchOrderService.class)
                    .create("f6-huge-1", "ok", 2 * 1024 * 1024, false));
            assertThat(refused).isInstanceOf(PublishException.class)
                    .hasMessageContaining("(max_payload); nothing was written to the outbox");
            assertThat(run.publisherDatabase().queryForLong(
                    "SELECT COUNT(*) FROM bench_orders WHERE id = 'f6-huge-1'")).isZero();
            assertThat(run.publisherDatabase().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                    + "WHERE payload LIKE '%f6-huge-1%'")).isZero();
            return refused.getMessage();
        } finally {
            jpa.close();
        }
    }

    private static void raw(JetStream js, String subject, String id, String body) throws Exception {
        js.publish(NatsMessage.builder().subject(subject).headers(new Headers().add("Nats-Msg-Id", id))
                .data(body.getBytes(StandardCharsets.UTF_8)).build());
    }

    private static boolean isPoison(String orderId) {
        int i = index(orderId);
        return i % POISON_EVERY == 1 || i % POISON_EVERY == 2;
    }

    private static int index(String orderId) {
        Matcher matcher = INDEX.matcher(orderId);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }
}
