package io.jetstreambridge.sample;

import io.jetstreambridge.sample.HealthEndpoint.Check;
import io.jetstreambridge.sample.HealthEndpoint.Report;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.jetstreambridge.sample.HealthEndpoint.LIVENESS;
import static io.jetstreambridge.sample.HealthEndpoint.READINESS;
import static io.jetstreambridge.sample.HealthEndpoint.STARTUP;
import static io.jetstreambridge.sample.HealthEndpoint.awaitReady;
import static io.jetstreambridge.sample.HealthEndpoint.live;
import static io.jetstreambridge.sample.HealthEndpoint.liveness;
import static io.jetstreambridge.sample.HealthEndpoint.ready;
import static io.jetstreambridge.sample.HealthEndpoint.started;
import static io.jetstreambridge.sample.HealthEndpoint.readiness;
import static io.jetstreambridge.sample.SampleClient.invoicesFor;
import static io.jetstreambridge.sample.SampleClient.observerGate;
import static io.jetstreambridge.sample.SampleClient.order;
import static io.jetstreambridge.sample.SampleClient.placeOrder;
import static io.jetstreambridge.sample.SampleClient.shipmentsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bridge's MicroProfile Health checks of the three applications in the real server: what they report, readiness
 * while the build's nats-server is stopped and started again, and liveness while billing's observer is held (which
 * holds neither shipping nor orders' consumer of shipping's events).
 */
class HealthIT {

    private static final List<String> APPS = List.of("orders", "billing", "shipping");
    /** Generous for a busy machine: every wait ends as soon as its condition holds. */
    private static final Duration TRANSITION = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(200);

    private static BuildNatsServer nats;

    @BeforeAll
    static void applicationsAreUp() {
        OrderInvoiceLoopIT.awaitApplications();
        nats = BuildNatsServer.fromSystemProperties();
        awaitReady(APPS.toArray(String[]::new));
    }

    @AfterEach
    void leaveTheSampleHealthy() {
        observerGate("open");
        nats.ensureRunning();
        awaitReady(APPS.toArray(String[]::new));
    }

    @Test
    void everyApplicationReportsItsBridgeChecksWithItsData() {
        Report ready = ready();
        assertThat(ready.httpStatus()).as(ready.body()).isEqualTo(200);
        for (String app : APPS) {
            Check readiness = ready.check(READINESS, app);
            assertThat(readiness.up()).as("%s", readiness).isTrue();
            assertThat(readiness.text("connection")).isEqualTo("CONNECTED");
            assertThat(readiness.text("server")).isEqualTo("nats://127.0.0.1:" + nats.port());
            assertThat(readiness.number("rtt-ms")).hasValueSatisfying(rtt -> assertThat(rtt).isNotNegative());
            assertThat(readiness.text("stream")).isEqualTo("jetstream-bridge-stream");
            assertThat(readiness.number("stream-messages")).isPresent();
            assertThat(readiness.number("dlq-messages")).contains(0L);
            assertThat(readiness.text("consumer")).isEqualTo(app + "-workers");
            assertThat(readiness.text("consumer-state")).isEqualTo("RUNNING");
            assertThat(readiness.number("consumer-pending")).isPresent();
        }
        // orders' second peer has a durable of its own, reported beside the primary peer's under consumer-shipping
        Check orders = ready.check(READINESS, "orders");
        assertThat(orders.text("consumer-shipping")).as("%s", orders).isEqualTo("orders-workers-shipping");
        assertThat(orders.text("consumer-shipping-state")).as("%s", orders).isEqualTo("RUNNING");
        for (String app : List.of("billing", "shipping")) { // one peer each: only the primary's keys
            assertThat(ready.check(READINESS, app).data().keySet()).as(app)
                    .noneMatch(key -> key.startsWith("consumer-orders"));
        }

        // liveness of an idle consumer: its empty fetches are the activity (waited for: a busy machine may be
        // slow to run one)
        await().atMost(TRANSITION).pollInterval(POLL).until(() -> live().httpStatus() == 200);
        Report live = live();
        for (String app : APPS) {
            Check liveness = live.check(LIVENESS, app);
            assertThat(liveness.up()).as("%s", liveness).isTrue();
            assertThat(liveness.text("consumer-state")).isEqualTo("RUNNING");
            assertThat(liveness.number("consumer-idle-ms")).isPresent();
            assertThat(liveness.number("consumer-stall-timeout-ms")).isPresent();
            assertThat(liveness.number("outbox-pending")).isPresent();
            assertThat(liveness.number("outbox-failed")).contains(0L);
            assertThat(liveness.text("outbox-sweeper")).isEqualTo("STARTED");
            assertThat(liveness.text("outbox-last-round")).isNotNull();
        }
        Check ordersLiveness = live.check(LIVENESS, "orders");
        assertThat(ordersLiveness.text("consumer-shipping-state")).as("%s", ordersLiveness).isEqualTo("RUNNING");
        assertThat(ordersLiveness.number("consumer-shipping-idle-ms")).as("%s", ordersLiveness).isPresent();
    }

    @Test
    void eachApplicationsChecksCarryItsNameAndItsStartupCheckIsUp() {
        List<String> expected = APPS.stream().flatMap(app -> List.of(READINESS + ":" + app, LIVENESS + ":" + app,
                STARTUP + ":" + app).stream()).toList();
        List<String> names = new java.util.ArrayList<>();
        for (Report report : List.of(ready(), live(), started())) {
            report.checks().stream().map(Check::name).filter(name -> name.startsWith("jetstream-bridge-"))
                    .forEach(names::add);
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected);

        Report started = started();
        assertThat(started.httpStatus()).as(started.body()).isEqualTo(200);
        for (String app : APPS) {
            Check startup = started.check(STARTUP, app);
            assertThat(startup.up()).as("%s", startup).isTrue();
            assertThat(startup.text("connection")).isEqualTo("CONNECTED");
            assertThat(startup.text("consumer-state")).isEqualTo("RUNNING");
        }
        assertThat(started.check(STARTUP, "orders").text("consumer-shipping-state")).isEqualTo("RUNNING");
    }

    @Test
    void readinessIsDownWhileNatsIsStoppedAndUpWhenItReturns() {
        nats.stop();

        await().atMost(TRANSITION).pollInterval(POLL).untilAsserted(() -> {
            Report ready = ready();
            assertThat(ready.httpStatus()).as(ready.body()).isEqualTo(503);
            for (String app : APPS) {
                Check readiness = ready.check(READINESS, app);
                assertThat(readiness.up()).as("%s", readiness).isFalse();
                assertThat(readiness.text("connection")).isNotEqualTo("CONNECTED");
                assertThat(readiness.text("reason")).contains("NATS connection is");
            }
        });

        // liveness stays UP: a restart of the application would not bring NATS back
        Report live = live();
        assertThat(live.httpStatus()).as(live.body()).isEqualTo(200);

        // an order placed meanwhile waits in orders' outbox, and liveness shows it
        long orderId = placeOrder("while-nats-is-away-" + UUID.randomUUID(), "7.00");
        await().atMost(TRANSITION).pollInterval(POLL).untilAsserted(() -> {
            Check orders = liveness("orders");
            assertThat(orders.up()).as("%s", orders).isTrue();
            assertThat(orders.number("outbox-pending")).hasValueSatisfying(p -> assertThat(p).isPositive());
            assertThat(orders.number("outbox-oldest-age-ms")).isPresent();
        });
        assertThat(readiness("orders").up()).isFalse();

        nats.start();

        await().atMost(TRANSITION).pollInterval(POLL).untilAsserted(() -> {
            Report ready = ready();
            assertThat(ready.httpStatus()).as(ready.body()).isEqualTo(200);
            for (String app : APPS) {
                assertThat(ready.check(READINESS, app).text("connection")).isEqualTo("CONNECTED");
            }
        });
        await().atMost(TRANSITION).pollInterval(POLL).untilAsserted(() -> {
            assertThat(order(orderId).getString("status")).isEqualTo("INVOICED");
            assertThat(order(orderId).getBoolean("shipped")).isTrue();
        });
        assertThat(invoicesFor(orderId)).hasSize(1);
        assertThat(shipmentsFor(orderId)).hasSize(1);
    }

    @Test
    void livenessIsDownWhileBillingsObserverIsHeldAndUpWhenItIsReleased() {
        observerGate("close");
        long orderId = placeOrder("held-" + UUID.randomUUID(), "3.00");
        await().atMost(TRANSITION).pollInterval(POLL).until(() -> observerGate("").getInt("waiting") == 1);

        await().atMost(TRANSITION).pollInterval(POLL).untilAsserted(() -> {
            Check billing = liveness("billing");
            assertThat(billing.up()).as("%s", billing).isFalse();
            assertThat(billing.text("reason")).contains("consumer loop has shown no activity");
            assertThat(billing.number("consumer-idle-ms").orElseThrow())
                    .isGreaterThan(billing.number("consumer-stall-timeout-ms").orElseThrow());
        });
        Report live = live();
        assertThat(live.httpStatus()).as(live.body()).isEqualTo(503);
        assertThat(live.check(LIVENESS, "orders").up()).as(live.body()).isTrue();
        assertThat(live.check(LIVENESS, "shipping").up()).as(live.body()).isTrue();
        // nothing is wrong with NATS or the consumer's subscription: billing stays ready, with the held message
        // counted as pending
        Check billingReadiness = readiness("billing");
        assertThat(billingReadiness.up()).as("%s", billingReadiness).isTrue();
        assertThat(billingReadiness.number("consumer-pending")).hasValueSatisfying(p -> assertThat(p).isPositive());
        assertThat(order(orderId).getString("status")).isEqualTo("NEW");
        // the other peer goes on meanwhile: shipping ships the order, and orders' consumer of shipping's events
        // (a durable of its own) records it
        await().atMost(TRANSITION).pollInterval(POLL).untilAsserted(() ->
                assertThat(order(orderId).getBoolean("shipped")).isTrue());
        assertThat(order(orderId).getString("status")).isEqualTo("NEW");

        observerGate("open");

        await().atMost(TRANSITION).pollInterval(POLL).untilAsserted(() -> {
            Report now = live();
            assertThat(now.httpStatus()).as(now.body()).isEqualTo(200);
            assertThat(now.check(LIVENESS, "billing").up()).isTrue();
        });
        await().atMost(TRANSITION).pollInterval(POLL).untilAsserted(() ->
                assertThat(order(orderId).getString("status")).isEqualTo("INVOICED"));
        assertThat(invoicesFor(orderId)).hasSize(1);
    }
}
