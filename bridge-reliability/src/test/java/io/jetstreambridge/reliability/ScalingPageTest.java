package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The scaling run's page handling and forecast, without running it: fast, no servers. */
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
    void refusesBrokenMarkersInsteadOfEatingThePage() {
        assertThatThrownBy(() -> ScalingPage.replaceSection("x\n" + ScalingPage.END + "\n" + ScalingPage.BEGIN, "y"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ScalingPage.replaceSection("x\n" + ScalingPage.BEGIN + "\nno end", "y"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sharedHostForecastDividesTheCoresByEveryPartysCostWithTheStoreOncePerReplica() {
        Properties properties = new Properties();
        properties.setProperty("writer.cpu_us", "100");
        properties.setProperty("relay.cpu_us", "20");
        properties.setProperty("nats.store.cpu_us", "30");
        properties.setProperty("nats.deliver.cpu_us", "10");
        properties.setProperty("consumer.cpu_us", "40");
        properties.setProperty("pg.producer.cpu_us", "250");
        properties.setProperty("pg.consumer.cpu_us", "50");
        ScalingForecast model = ScalingForecast.sharedHost(CostTable.of(properties, Path.of("costs.properties")));

        ScalingForecast.Forecast r1 = model.forecast(2, 1, 2);
        assertThat(r1.eventsPerSecond()).isCloseTo(2 / 500e-6, within(1e-6)); // 500 µs per event: 4000/s
        assertThat(r1.bottleneck()).contains("2 cores").contains("PostgreSQL, producer side").contains("50 %");
        assertThat(model.forecast(2, 3, 2).eventsPerSecond()).isCloseTo(2 / 560e-6, within(1e-6));
        assertThat(model.forecast(4, 1, 2).eventsPerSecond()).isEqualTo(r1.eventsPerSecond());
    }

    @Test
    void aCostTableWithoutEveryPartyNamesWhatIsMissing() {
        Properties properties = new Properties();
        properties.setProperty("writer.cpu_us", "100");
        properties.setProperty("relay.cpu_us", "fast");
        assertThatThrownBy(() -> CostTable.of(properties, Path.of("costs.properties")))
                .hasMessageContaining("relay.cpu_us = fast is not a number")
                .hasMessageContaining("pg.consumer.cpu_us is missing");
    }

    @Test
    void readsThePlanAsInstancesTimesReplicas() {
        assertThat(ScalingRun.plan("1x1, 4x3")).containsExactly(new int[] {1, 1}, new int[] {4, 3});
        assertThatThrownBy(() -> ScalingRun.plan("2")).hasMessageContaining("'2'");
    }
}
