package io.jetstreambridge.sample;

import static io.jetstreambridge.sample.SampleClient.order;
import static io.jetstreambridge.sample.SampleClient.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The bridge's spans and metrics on WildFly 39 (-Pwildfly only: failsafe includes this class in that profile). The
 * build starts WildFly with {@code otel.sdk.disabled=false} and OpenTelemetry's logging exporters (MicroProfile
 * Config through system properties; the {@code opentelemetry} and {@code microprofile-telemetry} subsystems are in
 * {@code standalone-microprofile.xml}), so what the server exports lands in {@code server.log}, which this test
 * reads: no collector is needed.
 */
class WildFlyTelemetryIT {

    private static final Path LOG = Path.of(System.getProperty("sample.log"));
    /** LoggingSpanExporter: {@code 'process orders.sync.billing' : <trace id> <span id> CONSUMER [tracer: ...} */
    private static final Pattern SPAN = Pattern.compile("'((?:create|send|process) [\\w.]+)' : (\\p{XDigit}{32}) ");

    @BeforeAll
    static void applicationsAreUp() {
        OrderInvoiceLoopIT.awaitApplications();
    }

    @Test
    void bothApplicationsSayTelemetryIsOn() throws IOException {
        assertThat(log()).contains("JSB9003: telemetry on");
        assertThat(log()).doesNotContain("JSB9003: telemetry off");
    }

    @Test
    void oneOrderGivesOneTraceFromTheOutboxThroughTheRelayToTheObserversAndBack() {
        long orderId = placeOrder("telemetry-" + UUID.randomUUID(), "12.00");
        await().atMost(OrderInvoiceLoopIT.LOOP).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(order(orderId).getString("status")).isEqualTo("INVOICED"));

        // the spans of the whole loop, in one trace: create (outbox row) -> send (relay) -> process (billing) ->
        // create/send of invoice.created -> process (orders); the batch span processor exports within seconds
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<String> traces = spans().stream().filter(s -> s.name().equals("process billing.sync.orders"))
                    .map(Span::traceId).toList();
            assertThat(traces).as("traces that reached orders' observer").isNotEmpty();
            assertThat(traces).anySatisfy(trace -> assertThat(spans().stream()
                    .filter(s -> s.traceId().equals(trace)).map(Span::name).collect(Collectors.toSet()))
                    .containsAll(Set.of("create orders.sync.billing", "send orders.sync.billing",
                            "process orders.sync.billing", "create billing.sync.orders",
                            "send billing.sync.orders", "process billing.sync.orders")));
        });
    }

    @Test
    void theBridgesMetricsAreExported() {
        placeOrder("metrics-" + UUID.randomUUID(), "3.00");

        // LoggingMetricExporter prints each metric's data with its scope and name
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(log()).contains("name=" + "io.jetstreambridge")
                        .contains("name=messaging.client.sent.messages")
                        .contains("name=messaging.client.consumed.messages")
                        .contains("name=jetstream_bridge.outbox.created"));
    }

    private record Span(String name, String traceId) {
    }

    private static List<Span> spans() throws IOException {
        Matcher matcher = SPAN.matcher(log());
        List<Span> spans = new java.util.ArrayList<>();
        while (matcher.find()) {
            spans.add(new Span(matcher.group(1), matcher.group(2)));
        }
        return spans;
    }

    private static String log() throws IOException {
        return new String(Files.readAllBytes(LOG), StandardCharsets.UTF_8);   // lenient: any byte
    }
}
