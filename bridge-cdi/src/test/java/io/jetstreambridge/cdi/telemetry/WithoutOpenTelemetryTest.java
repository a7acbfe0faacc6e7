package io.jetstreambridge.cdi.telemetry;

import io.jetstreambridge.core.telemetry.TraceHeaders;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.publish.OutgoingEvent;
import io.jetstreambridge.publish.PublishResult;
import io.jetstreambridge.publish.Publisher;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.ConsumerRuntime;
import io.jetstreambridge.core.inbox.InboxEvent;
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
 * The bridge on a server without MicroProfile Telemetry: this test runs in the surefire execution
 * {@code without-opentelemetry} (by its tag), whose class path has no {@code io.opentelemetry} artifact. It deploys the runtime,
 * publishes and consumes; nothing may fail for want of the API, and no trace header is invented.
 */
@Tag("without-opentelemetry")
class WithoutOpenTelemetryTest {

    private static final String OWN_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    @Test
    void theBridgeDeploysPublishesAndConsumesWithoutTheOpenTelemetryApi() throws Exception {
        assertThatThrownBy(() -> Class.forName("io.opentelemetry.api.OpenTelemetry"))
                .as("this test must run without the OpenTelemetry API on the class path")
                .isInstanceOf(ClassNotFoundException.class);

        try (JpaHarness jpa = JpaHarness.builder().database(TestDatabase.h2("no-otel")).entities(InboxEvent.class)
                .ddlResource("db/jetstream-bridge/h2/V1__jetstream_bridge_inbox.sql").start();
             JtaContainer container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                     .beanClasses(ConsumerRuntime.class, BridgeEntityManagers.class, PlainObserver.class)
                     .config(Map.of("jetstream.bridge.app-name", "orders",
                             "jetstream.bridge.destination-app", "billing",
                             "jetstream.bridge.nats.urls", NATS.url(),
                             "jetstream.bridge.inbox.enabled", "true",
                             "jetstream.bridge.consumer.fetch-timeout", "200ms"))
                     .start()) {
            assertThat(container.select(BridgeTelemetry.class)).isSameAs(BridgeTelemetry.NONE);

            // to its own consume subject, so this one application is both ends; the second event carries a trace
            // context the application set itself, which passes through untouched
            Publisher publisher = container.select(Publisher.class);
            PublishResult plain = publisher.publish(OutgoingEvent
                    .builder("invoice.created", Map.of("id", "INV-1")).subject("billing.sync.orders").build());
            PublishResult traced = publisher.publish(OutgoingEvent
                    .builder("invoice.created", Map.of("id", "INV-2")).subject("billing.sync.orders")
                    .header(TraceHeaders.TRACEPARENT, OWN_TRACEPARENT).build());
            assertThat(plain.accepted()).isTrue();
            assertThat(traced.accepted()).isTrue();

            PlainObserver observer = container.select(PlainObserver.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> observer.received().size() == 2);
            assertThat(observer.received()).anySatisfy(event -> {
                assertThat(event.eventId()).isEqualTo(plain.eventId());
                assertThat(event.headers()).doesNotContainKey(TraceHeaders.TRACEPARENT);
            });
            assertThat(observer.received()).anySatisfy(event -> {
                assertThat(event.eventId()).isEqualTo(traced.eventId());
                assertThat(event.headers()).containsEntry(TraceHeaders.TRACEPARENT, java.util.List.of(OWN_TRACEPARENT));
            });
        }
    }
}
