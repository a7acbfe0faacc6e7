package io.jetstreambridge.testing.capacity;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The capacity model's formulas on round numbers; no server. Public, with {@link #roundCosts()}, for the bench's test
 * of the file it writes.
 */
public class CapacityModelTest {

    /** Round costs: 100 µs of producing JVM, 50 of consumer, 200 + 50 of PostgreSQL, 20 + 10 of nats-server. */
    public static Map<CostKey, String> roundCosts() {
        Map<CostKey, String> v = new EnumMap<>(CostKey.class);
        for (CostKey key : CostKey.values()) {
            v.put(key, "0");
        }
        v.put(CostKey.RUN_MODE, "quick");
        v.put(CostKey.RUN_STARTED, "2026-12-06T15:00:00Z");
        v.put(CostKey.RUN_PROVIDER, "EclipseLink");
        v.put(CostKey.R3_SOURCE, "stated");
        v.put(CostKey.RUN_CORES, "2");
        v.put(CostKey.WRITER_CPU, "60");
        v.put(CostKey.RELAY_CPU, "40");
        v.put(CostKey.RELAY_DRAIN_CPU, "30");
        v.put(CostKey.CONSUMER_CPU, "50");
        v.put(CostKey.PG_PRODUCER_CPU, "200");
        v.put(CostKey.PG_CONSUMER_CPU, "50");
        v.put(CostKey.NATS_STORE_INFLOW_CPU, "15");
        v.put(CostKey.NATS_DELIVER_INFLOW_CPU, "5");
        v.put(CostKey.NATS_STORE_CPU, "4");
        v.put(CostKey.NATS_DELIVER_CPU, "1");
        v.put(CostKey.NATS_STORE_ROUNDS_CPU, "8");
        v.put(CostKey.R3_LEADER_FACTOR, "2");
        v.put(CostKey.R3_FOLLOWER_FACTOR, "1");
        v.put(CostKey.WRITER_TX_MS, "1");
        v.put(CostKey.WRITER_STATEMENTS, "3");
        v.put(CostKey.BENCH_WRITERS, "8");
        v.put(CostKey.CONSUMER_CONCURRENCY, "1");
        v.put(CostKey.CONSUMER_BATCH, "100");
        v.put(CostKey.OUTBOX_BATCH, "500");
        v.put(CostKey.PUBLISH_WINDOW, "1024");
        return v;
    }

    private final CapacityModel model = new CapacityModel(new CapacityModel.Costs(roundCosts()));

    @Test
    void sharedHostDividesTheCoresByTheSumOfEveryPartysCost() {
        // 60 + 40 + 50 + 200 + 50 + (15 + 5) = 420 µs per event; 2 cores: 4,762/s
        CapacityModel.Forecast forecast = model.forecast(1, 1, 2);

        assertThat(forecast.bottleneck()).isEqualTo(CapacityModel.SHARED_CPU);
        assertThat(forecast.eventsPerSecond()).isCloseTo(2_000_000 / 420.0, within(0.01));
        // 8 writers of 1 ms: 8,000/s; one consumer worker of 50 µs: 20,000/s
        assertThat(forecast.limit(CapacityModel.WRITERS)).isCloseTo(8000, within(0.01));
        assertThat(forecast.limit(CapacityModel.CONSUMER_WORKERS)).isCloseTo(20_000, within(0.01));
        assertThat(forecast.next().name()).isEqualTo(CapacityModel.WRITERS);
    }

    @Test
    void sharedHostWithReplicasThreeAddsTheLeadersFactorAndTwoFollowers() {
        // nats-server: 20 µs × (2 + 2 × 1) = 80 instead of 20: 480 µs per event
        CapacityModel.Forecast forecast = model.forecast(2, 3, 2);

        assertThat(forecast.eventsPerSecond()).isCloseTo(2_000_000 / 480.0, within(0.01));
    }

    @Test
    void sharedHostGainsNothingFromMoreInstancesWhenTheCoresAreTheLimit() {
        assertThat(model.forecast(4, 1, 2).eventsPerSecond()).isEqualTo(model.forecast(1, 1, 2).eventsPerSecond());
    }

    @Test
    void sharedHostWithManyCoresIsLimitedByTheWriters() {
        CapacityModel.Forecast forecast = model.forecast(1, 1, 64);

        assertThat(forecast.bottleneck()).isEqualTo(CapacityModel.WRITERS);
        assertThat(forecast.eventsPerSecond()).isCloseTo(8000, within(0.01));
    }

    @Test
    void sharedHostTakesTheRunsSettingsAndItsLatencyLimitsHoldHoweverManyCoresAreFree() {
        // 2 instances × 4 writers of 1 ms: 8,000/s; consumers: 2 × 3 workers, each 1e6 / 50 µs; relays: 2 × 1e6 / 30 µs
        CapacityModel.SharedHost host = CapacityModel.SharedHost.of(model.costs(), 2, 1, 1000).withWriters(4)
                .withConsumer(3, 50);
        CapacityModel.Forecast forecast = model.forecast(host);

        assertThat(forecast.bottleneck()).isEqualTo(CapacityModel.WRITERS);
        assertThat(forecast.eventsPerSecond()).isCloseTo(8000, within(0.01));
        assertThat(forecast.limit(CapacityModel.CONSUMER_WORKERS)).isCloseTo(6 * 20_000, within(0.01));
        assertThat(forecast.limit(CapacityModel.RELAY_ROUNDS)).isCloseTo(2 * 1_000_000 / 30.0, within(0.01));
        assertThat(forecast.limit(CapacityModel.SHARED_CPU)).isCloseTo(1000 * 1_000_000 / 420.0, within(0.01));
        // on two cores the CPU limits first, and the settings do not change it
        assertThat(model.forecast(host.withCores(2)).bottleneck()).isEqualTo(CapacityModel.SHARED_CPU);
    }

    @Test
    void sharedHostConsumerWorkersLimitWhenTheyAreFew() {
        CapacityModel.Costs slowConsumer = new CapacityModel.Costs(withValue(CostKey.CONSUMER_CPU, "2000"));
        CapacityModel.Forecast forecast = new CapacityModel(slowConsumer)
                .forecast(CapacityModel.SharedHost.of(slowConsumer, 1, 1, 64));

        // one worker of 2 ms per event: 500/s, though 64 cores would carry 64e6 / 2370 µs
        assertThat(forecast.bottleneck()).isEqualTo(CapacityModel.CONSUMER_WORKERS);
        assertThat(forecast.eventsPerSecond()).isCloseTo(500, within(0.01));
    }

    private static Map<CostKey, String> withValue(CostKey key, String value) {
        Map<CostKey, String> costs = roundCosts();
        costs.put(key, value);
        return costs;
    }

    @Test
    void separateHostsNameThePostgresqlOfTheProducingSideFirst() {
        // 4 producers × 4 cores / 100 µs = 160,000/s; PostgreSQL 4 cores / 200 µs = 20,000/s; 32 writers: 32,000/s
        CapacityModel.Fleet fleet = CapacityModel.Fleet.of(model.costs(), 4, 4, 1, 4, 4, 4, 8, 0, 0);
        CapacityModel.Forecast forecast = model.forecast(fleet);

        assertThat(forecast.bottleneck()).isEqualTo(CapacityModel.PG_PRODUCER);
        assertThat(forecast.eventsPerSecond()).isCloseTo(20_000, within(0.01));
        assertThat(forecast.next().name()).isEqualTo(CapacityModel.WRITERS);
        assertThat(forecast.limit(CapacityModel.PRODUCER_CPU)).isCloseTo(160_000, within(0.01));
        // leader: 4 cores / 20 µs
        assertThat(forecast.limit(CapacityModel.STREAM_LEADER)).isCloseTo(200_000, within(0.01));
    }

    @Test
    void separateHostsWithOnePostgresqlForBothSidesAddTheirCosts() {
        CapacityModel.Forecast forecast = model.forecast(
                CapacityModel.Fleet.of(model.costs(), 4, 4, 1, 4, 4, 4, 0, 0, 0));

        assertThat(forecast.bottleneck()).isEqualTo(CapacityModel.PG_SHARED);
        assertThat(forecast.eventsPerSecond()).isCloseTo(4_000_000 / 250.0, within(0.01));
    }

    @Test
    void replicasThreeMultiplyTheLeadersWorkAndAddAFollowerRoundTripToEachAck() {
        CapacityModel.Fleet r1 = CapacityModel.Fleet.of(model.costs(), 1, 1, 1, 4, 4, 8, 8, 1, 1);
        CapacityModel.Fleet r3 = CapacityModel.Fleet.of(model.costs(), 1, 1, 3, 4, 4, 8, 8, 1, 1);

        assertThat(model.forecast(r3).limit(CapacityModel.STREAM_LEADER))
                .isCloseTo(model.forecast(r1).limit(CapacityModel.STREAM_LEADER) / 2, within(0.01));
        // a round: claim, delete, commit (3 ms) + one ack wait (1 ms, 2 ms with a follower) + 500 × 30 µs (15 ms)
        assertThat(model.forecast(r1).limit(CapacityModel.RELAY_ROUNDS))
                .isCloseTo(500 * 1000 / 19.0, within(0.01));
        assertThat(model.forecast(r3).limit(CapacityModel.RELAY_ROUNDS))
                .isCloseTo(500 * 1000 / 20.0, within(0.01));
    }

    @Test
    void consumerWorkersAreBoundByBatchRoundTripsAndScaleWithConcurrency() {
        // a batch: pull (1 ms) + claim, insert, commit (3 × 2 ms) + 100 × 50 µs (5 ms) = 12 ms per 100 events
        CapacityModel.Fleet fleet = CapacityModel.Fleet.of(model.costs(), 1, 1, 1, 4, 4, 8, 8, 2, 1);

        assertThat(model.forecast(fleet).limit(CapacityModel.CONSUMER_WORKERS))
                .isCloseTo(100 * 1000 / 12.0, within(0.01));
        assertThat(model.forecast(fleet.withConsumer(4, 100)).limit(CapacityModel.CONSUMER_WORKERS))
                .isCloseTo(4 * 100 * 1000 / 12.0, within(0.01));
        // the writers: 8 × 1000 / (1 ms + (3 statements + commit) × 2 ms)
        assertThat(model.forecast(fleet).limit(CapacityModel.WRITERS)).isCloseTo(8000 / 9.0,
                within(0.01));
    }

    @Test
    void theLeadersLimitFollowsTheChosenNatsFigures() {
        CapacityModel.Fleet fleet = CapacityModel.Fleet.of(model.costs(), 1, 1, 1, 4, 4, 8, 8, 0, 0);

        // raw: 4 + 1 µs; full rounds: 8 (B2) + 5 (the bridge's consumer) µs
        assertThat(model.forecast(fleet.with(CapacityModel.NatsFigures.RAW))
                .limit(CapacityModel.STREAM_LEADER)).isCloseTo(4_000_000 / 5.0, within(0.01));
        assertThat(model.forecast(fleet.with(CapacityModel.NatsFigures.FULL_ROUNDS))
                .limit(CapacityModel.STREAM_LEADER)).isCloseTo(4_000_000 / 13.0, within(0.01));
    }

    @Test
    void aFileWithoutAKeyIsRefusedNamingIt() {
        String text = CostKey.RELAY_CPU.key() + "=40\n";

        assertThatThrownBy(() -> CapacityModel.Costs.parse(text)).hasMessageContaining("writer.cpu_us");
    }
}
