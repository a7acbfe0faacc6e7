package io.jetstreambridge.outbox.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.ConsumerRuntime;
import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.core.telemetry.TraceHeaders;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

/**
 * The outbox on a server without MicroProfile Telemetry: runs in the surefire execution
 * {@code without-opentelemetry} (by its tag), whose class path has no {@code io.opentelemetry} artifact. The
 * outbox publisher, the relay, the backlog gauges' bean and the consumer deploy and deliver the event.
 */
@Tag("without-opentelemetry")
class OutboxWithoutOpenTelemetryTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    @Test
    void theOutboxRelaysAndTheConsumerDeliversWithoutTheOpenTelemetryApi() {
        assertThatThrownBy(() -> Class.forName("io.opentelemetry.api.OpenTelemetry"))
                .as("this test must run without the OpenTelemetry API on the class path")
                .isInstanceOf(ClassNotFoundException.class);

        try (JpaHarness jpa = JpaHarness.builder().database(TestDatabase.h2("no-otel-outbox"))
                .entities(OutboxEvent.class, InboxEvent.class)
                .ddlResource("db/jetstream-bridge/h2/V1__jetstream_bridge_inbox.sql")
                .ddlResource("db/jetstream-bridge/h2/V2__jetstream_bridge_outbox.sql").start();
             JtaContainer container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                     .beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, OutboxGauges.class,
                             BridgeEntityManagers.class, ConsumerRuntime.class, PlainOrderObserver.class)
                     .config(Map.of("jetstream.bridge.app-name", "orders",
                             "jetstream.bridge.destination-app", "billing",
                             "jetstream.bridge.nats.urls", NATS.url(),
                             "jetstream.bridge.outbox.enabled", "true",
                             "jetstream.bridge.inbox.enabled", "true",
                             "jetstream.bridge.outbox.relay.poll-interval", "200ms",
                             "jetstream.bridge.consumer.fetch-timeout", "200ms"))
                     .start()) {
            // to its own consume subject, so this one application is both ends
            PublishResult result = container.select(Publisher.class).publish(OutgoingEvent
                    .builder("order.created", Map.of("id", "O-1")).subject("billing.sync.orders").build());
            assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.PENDING);

            PlainOrderObserver observer = container.select(PlainOrderObserver.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> observer.received().size() == 1);
            assertThat(observer.received().peek().eventId()).isEqualTo(result.eventId());
            assertThat(observer.received().peek().headers()).doesNotContainKey(TraceHeaders.TRACEPARENT);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> container.select(OutboxMaintenanceService.class).backlog().pending() == 0);
        }
    }
}
