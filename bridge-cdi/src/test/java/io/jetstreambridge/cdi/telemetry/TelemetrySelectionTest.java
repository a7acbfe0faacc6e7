package io.jetstreambridge.cdi.telemetry;

import io.jetstreambridge.core.telemetry.BridgeTelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.core.telemetry.otel.OpenTelemetryBridgeTelemetry;
import io.jetstreambridge.testing.telemetry.InMemoryTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.BeanManager;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the bridge does with the OpenTelemetry the server offers, and what it says. The servers' cases are played
 * with class loaders that hide what the server hides: Open Liberty hides the whole API unless the application asks
 * for third-party APIs, and its mpTelemetry-1.1 (what microProfile-6.1 brings) exposes no
 * {@code io.opentelemetry.api.metrics} package, which the adapter needs.
 */
class TelemetrySelectionTest {

    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger log = Logger.getLogger("io.jetstreambridge");
    private final InMemoryTelemetry sdk = new InMemoryTelemetry();

    @BeforeEach
    void listen() {
        log.addHandler(handler);
    }

    @AfterEach
    void stop() {
        log.removeHandler(handler);
        sdk.close();
    }

    /** The server's OpenTelemetry bean, as MicroProfile Telemetry produces it. */
    @ApplicationScoped
    static class ServerTelemetry {
        static OpenTelemetry instance;

        @Produces
        OpenTelemetry openTelemetry() {
            return instance;
        }
    }

    private WeldContainer container(boolean withOpenTelemetryBean) {
        ServerTelemetry.instance = sdk.openTelemetry();
        Weld weld = new Weld("telemetry-selection-" + System.nanoTime()).disableDiscovery();
        if (withOpenTelemetryBean) {
            weld.addBeanClasses(ServerTelemetry.class);
        } else {
            weld.addBeanClasses(Marker.class);
        }
        return weld.initialize();
    }

    @ApplicationScoped
    static class Marker {
    }

    /** Hides the packages a server does not show the application. */
    private static ClassLoader hiding(String... packages) {
        return new ClassLoader(TelemetrySelectionTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                for (String hidden : packages) {
                    if (name.startsWith(hidden)) {
                        throw new ClassNotFoundException(name);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
    }

    private List<String> messages(Level level) {
        return logged.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
    }

    @Test
    void apiAndBeanWithMetricsGiveTheAdapter() {
        try (WeldContainer weld = container(true)) {
            BridgeTelemetry telemetry = TelemetrySelection.select(TelemetrySelection.class.getClassLoader(),
                    weld.select(BeanManager.class).get(), "orders");

            assertThat(telemetry).isInstanceOf(OpenTelemetryBridgeTelemetry.class);
            assertThat(messages(Level.INFO)).anySatisfy(m -> assertThat(m).startsWith("JSB9003: telemetry on"));
        }
    }

    /** Liberty with microProfile-6.1 and no +third-party: the feature is there, the application cannot see it. */
    @Test
    void aBeanOfAnApiTheApplicationCannotSeeIsAWarningThatSaysWhatToAdd() {
        try (WeldContainer weld = container(true)) {
            BridgeTelemetry telemetry = TelemetrySelection.select(hiding("io.opentelemetry."),
                    weld.select(BeanManager.class).get(), "orders");

            assertThat(telemetry).isSameAs(BridgeTelemetry.NONE);
            assertThat(messages(Level.WARNING)).singleElement().asString()
                    .startsWith("JSB9020: ")
                    .contains("OpenTelemetry bean", "not visible to the application",
                            "apiTypeVisibility=\"+third-party\"", "mpTelemetry-2.0");
        }
    }

    /** Liberty's mpTelemetry-1.1 with +third-party: traces API, no metrics API. */
    @Test
    void anApiWithoutMetricsIsAWarningThatNamesTelemetry20NotALinkageError() {
        try (WeldContainer weld = container(true)) {
            BridgeTelemetry telemetry = TelemetrySelection.select(hiding("io.opentelemetry.api.metrics."),
                    weld.select(BeanManager.class).get(), "orders");

            assertThat(telemetry).isSameAs(BridgeTelemetry.NONE);
            assertThat(messages(Level.WARNING)).singleElement().asString()
                    .startsWith("JSB9021: ")
                    .contains("io.opentelemetry.api.metrics", "MicroProfile Telemetry 1.x", "mpTelemetry-2.0");
        }
    }

    /** No MicroProfile Telemetry at all: a choice, not a mistake. */
    @Test
    void noApiAndNoBeanIsOffAtInfo() {
        try (WeldContainer weld = container(false)) {
            BridgeTelemetry telemetry = TelemetrySelection.select(hiding("io.opentelemetry."),
                    weld.select(BeanManager.class).get(), "orders");

            assertThat(telemetry).isSameAs(BridgeTelemetry.NONE);
            assertThat(messages(Level.WARNING)).isEmpty();
            assertThat(messages(Level.INFO)).singleElement().asString()
                    .startsWith("JSB9003: telemetry off: the OpenTelemetry API is not visible");
        }
    }
}
