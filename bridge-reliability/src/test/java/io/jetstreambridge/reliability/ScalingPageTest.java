package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jetstreambridge.testing.capacity.CapacityModel;
import io.jetstreambridge.testing.capacity.CapacityModelTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** The scaling run's page handling, forecast and explanation, without running it: fast, no servers. */
class ScalingPageTest {

    @Test
    void replacesOnlyTheTextBetweenTheMarkers() {
        String page = "# Scaling\n\nhand-written\n<!-- costs:begin -->\nbench table\n<!-- costs:end -->\n"
                + ScalingPage.BEGIN + "\nold figures\n" + ScalingPage.END + "\n\nmore text\n";
        String written = ScalingPage.replaceSection(page, "new figures");
        assertThat(written).isEqualTo("# Scaling\n\nhand-written\n<!-- costs:begin -->\nbench table\n"
                + "<!-- costs:end -->\n" + ScalingPage.BEGIN + "\nnew figures\n" + ScalingPage.END + "\n\nmore text\n");
        assertThat(ScalingPage.replaceSection(written, "new figures")).isEqualTo(written);
    }

    @Test
    void appendsTheSectionToAPageWithoutMarkersAndCreatesAMissingPage(@TempDir Path dir) throws Exception {
        assertThat(ScalingPage.replaceSection("# Scaling\n\nthe model\n", "figures"))
                .isEqualTo("# Scaling\n\nthe model\n\n" + ScalingPage.BEGIN + "\nfigures\n" + ScalingPage.END + "\n");
        Path page = dir.resolve("docs/scaling.md");
        ScalingPage.write(page, "figures");
        assertThat(Files.readString(page))
                .isEqualTo("# Scaling\n\n" + ScalingPage.BEGIN + "\nfigures\n" + ScalingPage.END + "\n");
    }

    @Test
    void markersNamedInTheTextAreNotMarkers() {
        // the page's own Regenerating section names the markers in backticks; only a marker on a line of its own
        // counts (a run of bash .ci/scaling.sh failed at its end on the quoted one and lost its figures)
        String page = "# Scaling\n\n" + ScalingPage.BEGIN + "\nold\n" + ScalingPage.END + "\n\nOnly `"
                + ScalingPage.BEGIN + "` … `" + ScalingPage.END + "` is generated.\n";

        assertThat(ScalingPage.replaceSection(page, "new")).isEqualTo("# Scaling\n\n" + ScalingPage.BEGIN
                + "\nnew\n" + ScalingPage.END + "\n\nOnly `" + ScalingPage.BEGIN + "` … `" + ScalingPage.END
                + "` is generated.\n");
    }

    @Test
    void refusesBrokenMarkersInsteadOfEatingThePage() {
        assertThatThrownBy(() -> ScalingPage.replaceSection("x\n" + ScalingPage.END + "\n" + ScalingPage.BEGIN, "y"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ScalingPage.replaceSection("x\n" + ScalingPage.BEGIN + "\nno end", "y"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theRunsForecastIsTheCapacityModelsGivenTheRunsSettings() {
        CapacityModel model = new CapacityModel(new CapacityModel.Costs(CapacityModelTest.roundCosts()));
        Map<String, String> consumers = Map.of("jetstream.bridge.consumer.concurrency", "2",
                "jetstream.bridge.consumer.batch-size", "50");

        CapacityModel.SharedHost host = ScalingRun.host(model.costs(), 4, 3, 64, 4, consumers);

        assertThat(host).isEqualTo(new CapacityModel.SharedHost(4, 3, 64, 4, 2, 50, 500, 1024));
        // 64 cores carry 64e6 / 480 µs = 133,333/s; 4 instances × 4 writers of 1 ms: 16,000/s, the first limit
        CapacityModel.Forecast forecast = result(model, host, 1.5, 0.0).forecast();
        assertThat(forecast.bottleneck()).isEqualTo(CapacityModel.WRITERS);
        assertThat(forecast.eventsPerSecond()).isCloseTo(16_000, within(0.01));
    }

    @Test
    void theErrorIsExplainedByTheCoresTheRunGotAndItsCpuPerEvent() {
        CapacityModel model = new CapacityModel(new CapacityModel.Costs(CapacityModelTest.roundCosts()));
        CapacityModel.SharedHost host = new CapacityModel.SharedHost(1, 1, 2, 4, 2, 50, 500, 1024);
        // 10,000 events in 10 s on both sides; the publisher JVMs took 0.5 cores: 500 µs per event (model: 100)
        ScalingResult result = result(model, host, 0.5, 0.2);

        assertThat(result.writerTxMs()).isCloseTo(4, within(1e-9));
        assertThat(result.largestExcess()).isEqualTo(ScalingResult.PUBLISHERS);
        assertThat(result.forecastOnRunCores().eventsPerSecond()).isCloseTo(0.7e6 / 420, within(0.01));
        String sentence = ScalingPage.explain(result);
        assertThat(sentence).contains("publisher JVMs the most beyond it: 500 µs against 100, of it JIT "
                + "compilation 200 µs").contains("got 0.70 of 2")
                .contains("0.70 cores / 700 µs = 1000/s").contains("took 4.0 ms");
        String section = ScalingPage.render(java.util.List.of(result), "scaling-costs.properties", "header");
        assertThat(section).contains("| **1000** |").contains(sentence);
    }

    /** 10,000 committed and consumed in a 10 s window; publishers {@code publisherCores}, PostgreSQL 0.2 cores. */
    private static ScalingResult result(CapacityModel model, CapacityModel.SharedHost host, double publisherCores,
                                        double publisherJit) {
        GroupCpu.Usage usage = new GroupCpu.Usage(Map.of(ScalingResult.PUBLISHERS, publisherCores,
                GroupCpu.POSTGRES, 0.2), Map.of(ScalingResult.PUBLISHERS, publisherJit), 2.0, 0.0, 10, 2);
        Pipeline.Tally tally = new Pipeline.Tally(10_000, 0, 10_000, Set.of(), 0, Set.of(), 0, null);
        return new ScalingResult(model, host, usage, 10_000, 10_000, 0, 0, tally, 30_000, 60_000);
    }

    @Test
    void readsThePlanAsInstancesTimesReplicas() {
        assertThat(ScalingRun.plan("1x1, 4x3")).containsExactly(new int[] {1, 1}, new int[] {4, 3});
        assertThatThrownBy(() -> ScalingRun.plan("2")).hasMessageContaining("'2'");
    }
}
