package io.jetstreambridge.bench;

import io.jetstreambridge.testing.capacity.GeneratedSection;
import io.jetstreambridge.testing.capacity.CapacityModel;
import io.jetstreambridge.testing.capacity.CapacityModelTest;
import io.jetstreambridge.testing.capacity.CostKey;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The costs file the bench writes and the page sections it replaces; no server. The model's own test is
 * {@code CapacityModelTest} in the bridge-core test-jar.
 */
class ScalingCostsTest {

    @Test
    void theWrittenPropertiesReadBackWithEveryKey() {
        String text = ScalingCosts.properties(CapacityModelTest.roundCosts(), "bash .ci/bench.sh --quick");

        assertThat(new CapacityModel.Costs(CapacityModelTest.roundCosts())).isEqualTo(CapacityModel.Costs.parse(text));
        for (CostKey key : CostKey.values()) {
            assertThat(text).contains("# " + key.key());
        }
    }

    @Test
    void aFileWithoutAKeyIsRefusedNamingIt() {
        String text = ScalingCosts.properties(CapacityModelTest.roundCosts(), "bash .ci/bench.sh")
                .replace("relay.cpu_us=40\n", "");

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
