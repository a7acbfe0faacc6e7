package io.jetstreambridge.testing.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An OpenTelemetry SDK that keeps every span and metric in memory, as a server with MicroProfile Telemetry would
 * export them. Metric readings are cumulative: each read collects all instruments (running gauge callbacks).
 */
public final class InMemoryTelemetry implements AutoCloseable {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();

    public OpenTelemetry openTelemetry() {
        return sdk;
    }

    /** Ended spans, in the order they ended. */
    public List<SpanData> spans() {
        return spans.getFinishedSpanItems();
    }

    public List<SpanData> spansNamed(String name) {
        return spans().stream().filter(s -> s.getName().equals(name)).toList();
    }

    /**
     * The sum of a counter over the points whose attributes include {@code match} ({@code *}: the key with any
     * value); 0 when never recorded.
     */
    public long counter(String name, Map<String, String> match) {
        return points(name, match).mapToLong(p -> ((LongPointData) p).getValue()).sum();
    }

    /** The last value of a long gauge (the points matching), empty when the callback reported nothing. */
    public Optional<Long> longGauge(String name) {
        return points(name, Map.of()).map(p -> ((LongPointData) p).getValue()).reduce((a, b) -> b);
    }

    /** The last value of a long gauge among the points whose attributes include {@code match}. */
    public Optional<Long> longGauge(String name, Map<String, String> match) {
        return points(name, match).map(p -> ((LongPointData) p).getValue()).reduce((a, b) -> b);
    }

    public Optional<Double> doubleGauge(String name) {
        return points(name, Map.of()).map(p -> ((DoublePointData) p).getValue()).reduce((a, b) -> b);
    }

    /** How many values a histogram recorded over the matching points. */
    public long histogramCount(String name, Map<String, String> match) {
        return points(name, match).mapToLong(p -> ((HistogramPointData) p).getCount()).sum();
    }

    private Stream<PointData> points(String name, Map<String, String> match) {
        Collection<MetricData> all = metrics.collectAllMetrics();
        return all.stream().filter(m -> m.getName().equals(name))
                .flatMap(m -> m.getData().getPoints().stream().map(PointData.class::cast))
                .filter(p -> matches(p.getAttributes(), match));
    }

    /** Each entry's key has that value; the value {@code *} matches any value of a key that is there. */
    private static boolean matches(Attributes attributes, Map<String, String> match) {
        return match.entrySet().stream().allMatch(e -> {
            String value = attributes.get(AttributeKey.stringKey(e.getKey()));
            return "*".equals(e.getValue()) ? value != null : e.getValue().equals(value);
        });
    }

    @Override
    public void close() {
        sdk.close();
    }
}
