package io.jetstreambridge.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The capacity model's formulas on round numbers, and the file format it reads; no server. */
class CapacityModelTest {

    /** Round costs: 100 µs of producing JVM, 50 of consumer, 200 + 50 of PostgreSQL, 20 + 10 of nats-server. */
    private static Map<CostKey, String> costs() {
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

    private final CapacityModel model = new CapacityModel(new CapacityModel.Costs(costs()));

    @Test
    void sharedHostDividesTheCoresByTheSumOfEveryPartysCost() {
        // 60 + 40 + 50 + 200 + 50 + (15 + 5) = 420 µs per event; 2 cores: 4,762/s
        CapacityModel.Forecast forecast = model.forecast(1, 1, 2);

        assertThat(forecast.bottleneck()).isEqualTo(CapacityModel.SHARED_CPU);
        assertThat(forecast.eventsPerSecond()).isCloseTo(2_000_000 / 420.0, within(0.01));
        // 8 writers of 1 ms: 8,000/s; one consumer worker of 50 µs: 20,000/s
        assertThat(ScalingPage.limit(forecast, CapacityModel.WRITERS)).isCloseTo(8000, within(0.01));
        assertThat(ScalingPage.limit(forecast, CapacityModel.CONSUMER_WORKERS)).isCloseTo(20_000, within(0.01));
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
    void separateHostsNameThePostgresqlOfTheProducingSideFirst() {
        // 4 producers × 4 cores / 100 µs = 160,000/s; PostgreSQL 4 cores / 200 µs = 20,000/s; 32 writers: 32,000/s
        CapacityModel.Fleet fleet = CapacityModel.Fleet.of(model.costs(), 4, 4, 1, 4, 4, 4, 8, 0, 0);
        CapacityModel.Forecast forecast = model.forecast(fleet);

        assertThat(forecast.bottleneck()).isEqualTo(CapacityModel.PG_PRODUCER);
        assertThat(forecast.eventsPerSecond()).isCloseTo(20_000, within(0.01));
        assertThat(forecast.next().name()).isEqualTo(CapacityModel.WRITERS);
        assertThat(ScalingPage.limit(forecast, CapacityModel.PRODUCER_CPU)).isCloseTo(160_000, within(0.01));
        // leader: 4 cores / 20 µs
        assertThat(ScalingPage.limit(forecast, CapacityModel.STREAM_LEADER)).isCloseTo(200_000, within(0.01));
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

        assertThat(ScalingPage.limit(model.forecast(r3), CapacityModel.STREAM_LEADER))
                .isCloseTo(ScalingPage.limit(model.forecast(r1), CapacityModel.STREAM_LEADER) / 2, within(0.01));
        // a round: claim, delete, commit (3 ms) + one ack wait (1 ms, 2 ms with a follower) + 500 × 30 µs (15 ms)
        assertThat(ScalingPage.limit(model.forecast(r1), CapacityModel.RELAY_ROUNDS))
                .isCloseTo(500 * 1000 / 19.0, within(0.01));
        assertThat(ScalingPage.limit(model.forecast(r3), CapacityModel.RELAY_ROUNDS))
                .isCloseTo(500 * 1000 / 20.0, within(0.01));
    }

    @Test
    void consumerWorkersAreBoundByBatchRoundTripsAndScaleWithConcurrency() {
        // a batch: pull (1 ms) + claim, insert, commit (3 × 2 ms) + 100 × 50 µs (5 ms) = 12 ms per 100 events
        CapacityModel.Fleet fleet = CapacityModel.Fleet.of(model.costs(), 1, 1, 1, 4, 4, 8, 8, 2, 1);

        assertThat(ScalingPage.limit(model.forecast(fleet), CapacityModel.CONSUMER_WORKERS))
                .isCloseTo(100 * 1000 / 12.0, within(0.01));
        assertThat(ScalingPage.limit(model.forecast(fleet.withConsumer(4, 100)), CapacityModel.CONSUMER_WORKERS))
                .isCloseTo(4 * 100 * 1000 / 12.0, within(0.01));
        // the writers: 8 × 1000 / (1 ms + (3 statements + commit) × 2 ms)
        assertThat(ScalingPage.limit(model.forecast(fleet), CapacityModel.WRITERS)).isCloseTo(8000 / 9.0,
                within(0.01));
    }

    @Test
    void theLeadersLimitFollowsTheChosenNatsFigures() {
        CapacityModel.Fleet fleet = CapacityModel.Fleet.of(model.costs(), 1, 1, 1, 4, 4, 8, 8, 0, 0);

        // raw: 4 + 1 µs; full rounds: 8 (B2) + 5 (the bridge's consumer) µs
        assertThat(ScalingPage.limit(model.forecast(fleet.with(CapacityModel.NatsFigures.RAW)),
                CapacityModel.STREAM_LEADER)).isCloseTo(4_000_000 / 5.0, within(0.01));
        assertThat(ScalingPage.limit(model.forecast(fleet.with(CapacityModel.NatsFigures.FULL_ROUNDS)),
                CapacityModel.STREAM_LEADER)).isCloseTo(4_000_000 / 13.0, within(0.01));
    }

    @Test
    void theWrittenPropertiesReadBackWithEveryKey() {
        String text = ScalingCosts.properties(costs(), "bash .ci/bench.sh --quick");

        assertThat(new CapacityModel.Costs(costs())).isEqualTo(CapacityModel.Costs.parse(text));
        for (CostKey key : CostKey.values()) {
            assertThat(text).contains("# " + key.key());
        }
    }

    @Test
    void aFileWithoutAKeyIsRefusedNamingIt() {
        String text = ScalingCosts.properties(costs(), "bash .ci/bench.sh").replace("relay.cpu_us=40\n", "");

        assertThatThrownBy(() -> CapacityModel.Costs.parse(text)).hasMessageContaining("relay.cpu_us");
    }

    @Test
    void theCommittedCostsHaveEveryKeyAndTheModelForecastsFromThem() throws Exception {
        Path docs = Path.of(System.getProperty("jsb.docs.dir", "../docs"));
        CapacityModel committed = new CapacityModel(CapacityModel.Costs.read(docs.resolve(ScalingCosts.PROPERTIES)));

        CapacityModel.Forecast forecast = committed.forecast(1, 1, 2);
        assertThat(forecast.eventsPerSecond()).isPositive().isFinite();
        String page = Files.readString(docs.resolve(ScalingCosts.PAGE));
        assertThat(page).contains(GeneratedSection.begin(ScalingCosts.COSTS_SECTION),
                GeneratedSection.end(ScalingCosts.COSTS_SECTION), GeneratedSection.begin(ScalingCosts.FORECAST_SECTION));
        // the page's table shows the file's numbers
        assertThat(page).contains("| `" + CostKey.WRITER_CPU.key() + "` | "
                + committed.costs().text(CostKey.WRITER_CPU) + " |");
    }

    @Test
    void aGeneratedSectionIsReplacedInPlaceAndTheTextAroundItStays() {
        String page = "# Scaling\n\nhand-written\n\n<!-- costs:begin -->\nold\n<!-- costs:end -->\n\nmore text\n"
                + "<!-- forecast:begin -->\nkept\n<!-- forecast:end -->\n";

        String replaced = GeneratedSection.replace(page, "costs", "new table");

        assertThat(replaced).isEqualTo("# Scaling\n\nhand-written\n\n<!-- costs:begin -->\nnew table\n"
                + "<!-- costs:end -->\n\nmore text\n<!-- forecast:begin -->\nkept\n<!-- forecast:end -->\n");
        assertThat(GeneratedSection.replace("# Scaling\n", "forecast", "x"))
                .isEqualTo("# Scaling\n\n<!-- forecast:begin -->\nx\n<!-- forecast:end -->\n");
    }
}
