package io.jetstreambridge.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.core.consume.ConsumerEngine;
import io.jetstreambridge.testing.fakes.FakeEngine;
import io.jetstreambridge.topology.Peers;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The stall watch over several peers' engines: each durable on its own, the stalled one named. */
class ConsumerStallWatchTest {

    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Peers PEERS = Peers.of("jetstream-bridge-stream", "orders", java.util.List.of("billing",
            "shipping"), true, null, null);

    private Instant now = Instant.parse("2026-12-06T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void aBusyPeerDoesNotHideAnotherPeersStalledLoop() {
        ConsumerStallWatch watch = new ConsumerStallWatch(clock, STALL_TIMEOUT, PEERS);
        FakeEngine billing = new FakeEngine();
        FakeEngine shipping = new FakeEngine();
        Map<String, ConsumerEngine> engines = new LinkedHashMap<>();
        engines.put("orders-workers", billing);
        engines.put("orders-workers-shipping", shipping);
        billing.activity(now);
        shipping.activity(now);
        assertThat(watch.check(engines, true, Optional.empty()).up()).isTrue();

        now = now.plusSeconds(11);
        billing.activity(now.minusSeconds(1)); // billing keeps fetching, shipping's worker is held

        HealthContribution health = watch.check(engines, true, Optional.empty());
        assertThat(health.up()).isFalse();
        assertThat(health.reasons()).singleElement().asString()
                .contains("durable 'orders-workers-shipping'").contains("has shown no activity for 11s");
        assertThat(health.data())
                .containsEntry("consumer-state", "RUNNING").containsEntry("consumer-idle-ms", 1000L)
                .containsEntry("consumer-shipping-state", "RUNNING").containsEntry("consumer-shipping-idle-ms", 11000L)
                .containsEntry("consumer-stall-timeout-ms", 10000L);
    }

    @Test
    void aDurableWithoutAnEngineIsNotStartedAndEachEngineIsFirstSeenOnItsOwn() {
        ConsumerStallWatch watch = new ConsumerStallWatch(clock, STALL_TIMEOUT, PEERS);
        FakeEngine billing = new FakeEngine();
        assertThat(watch.check(Map.of("orders-workers", billing), true, Optional.empty()).data())
                .containsEntry("consumer-state", "RUNNING")
                .containsEntry("consumer-shipping-state", "NOT_STARTED");

        now = now.plusSeconds(8);
        FakeEngine shipping = new FakeEngine(); // no activity yet: its idle time counts from now, not from billing's start
        HealthContribution health = watch.check(Map.of("orders-workers", billing,
                "orders-workers-shipping", shipping), true, Optional.empty());
        assertThat(health.data()).containsEntry("consumer-idle-ms", 8000L)
                .containsEntry("consumer-shipping-idle-ms", 0L);

        now = now.plusSeconds(3);
        health = watch.check(Map.of("orders-workers", billing, "orders-workers-shipping", shipping), true,
                Optional.empty());
        assertThat(health.reasons()).singleElement().asString().contains("durable 'orders-workers'")
                .doesNotContain("orders-workers-shipping");
    }
}
