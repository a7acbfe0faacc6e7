package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.outbox.cdi.OutboxMaintenanceService;
import io.jetstreambridge.outbox.cdi.OutboxRuntime;
import io.jetstreambridge.reliability.app.BenchOrder;
import io.jetstreambridge.reliability.app.BenchOrderService;
import io.jetstreambridge.reliability.app.UnicodeSamples;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.BridgeRuntime;
import io.jetstreambridge.testing.NatsServer;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * F12: Unicode everywhere. The publisher's events carry astral characters, right-to-left text and overrides,
 * combining marks, NUL and other controls in their resource ids and payloads (and the order id in a header); the
 * consumer's observer refuses any event that arrives changed, which would count as lost. While they flow, events
 * the relay could never send (a non-ASCII header value, a lone surrogate, NUL in an identifier) are refused at
 * {@code publish}, leaving no order and no outbox row. Every committed event is observed once.
 */
class F12UnicodeTest {

    /** Header name, header value and resource id of business transactions {@code publish} must refuse. */
    private static final String[][] REFUSED = {
        {"x-city", "Z\u00fcrich", "ok"},
        {"x-mood", "fine \uD83D\uDE00", "ok"},
        {"x-city", "Zurich", "order-\uD800"},
        {"x-city", "Zurich", "order-\u0000"},
        {"caf\u00e9", "ok", "ok"},
        {"x-trailing", "blank ", "ok"},
    };

    @Test
    void unicodeInIdsHeadersAndPayloadsArrivesIntactOrIsRefusedAtPublish() throws Exception {
        long started = System.currentTimeMillis();
        FaultScale scale = FaultScale.current();
        NatsServer nats = NatsServer.builder().start();
        try (Pipeline run = Pipeline.builder("f12", nats.url()).start()) {
            run.startConsumer("consumer", Map.of("fault.unicode", "true"));
            run.startPublisher("publisher", "f12", scale.orders(), Map.of("fault.unicode", "true"));
            await().atMost(Duration.ofMinutes(3)).until(() -> run.committed() >= scale.orders() / 3);

            List<String> refusals = refuseUnsendable(run);

            Pipeline.Tally tally = run.settle(scale.settle(), id -> false);
            long failedRows = run.publisherDatabase().queryForLong(
                    "SELECT COUNT(*) FROM jetstream_bridge_outbox_events WHERE status = 'failed'");
            FaultRow row = tally.row("F12", "Unicode everywhere: ids, headers, payloads", "-",
                    "every order event carried Unicode in its resource id (e.g. \""
                            + printable(UnicodeSamples.resourceId("f12-0")) + "\") and payload (astral planes, "
                            + "right-to-left text and overrides, combining marks, NUL and other controls, JSON "
                            + "syntax), the order id in a header; the consumer refused (dead-lettered) any event "
                            + "that arrived changed: none did. While they flowed, " + REFUSED.length
                            + " business transactions whose event the relay could never send were refused at "
                            + "publish and left no order and no outbox row, e.g. \"" + refusals.get(0) + "\". "
                            + "Outbox rows failed: " + failedRows + ".");
            FaultAssertions.recordAndCheck(row, tally, run);
            assertThat(tally.deadLettered()).as("events that arrived changed").isZero();
            assertThat(failedRows).isZero();
        } finally {
            nats.close();
            ReliabilityReport.duration("F12", System.currentTimeMillis() - started);
        }
    }

    /** Business transactions in this JVM, beside the publisher's load, that {@code publish} refuses. */
    private static List<String> refuseUnsendable(Pipeline run) {
        JpaHarness jpa = JpaHarness.builder().database(run.publisherDatabase()).keepDatabase()
                .entities(OutboxEvent.class, BenchOrder.class).start();
        try (JtaContainer app = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, BridgeEntityManagers.class,
                        BenchOrderService.class)
                .config(run.publisherSettings("f12-refused", 0, Map.of())).start()) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> app.select(BridgeRuntime.class).currentConnection().isPresent());
            List<String> messages = new ArrayList<>();
            for (int i = 0; i < REFUSED.length; i++) {
                String order = "f12-refused-" + i;
                String[] event = REFUSED[i];
                Throwable refused = catchThrowable(() -> app.select(BenchOrderService.class)
                        .createWith(order, event[0], event[1], event[2]));
                assertThat(refused).as("order %s", order).isInstanceOf(IllegalArgumentException.class);
                assertThat(run.publisherDatabase().queryForLong(
                        "SELECT COUNT(*) FROM bench_orders WHERE id = ?", order)).isZero();
                assertThat(run.publisherDatabase().queryForLong("SELECT COUNT(*) FROM jetstream_bridge_outbox_events "
                        + "WHERE payload LIKE ?", "%" + order + "%")).isZero();
                messages.add(refused.getMessage());
            }
            return messages;
        } finally {
            jpa.close();
        }
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(c < 0x20 || c == 0x7F || c == 0x85 || c == 0x202E || c == 0x200F
                || c == 0xFEFF || c == 0x2028 ? String.format("\\u%04X", c) : new String(Character.toChars(c))));
        return out.toString();
    }
}
