package io.jetstreambridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayloadSettingsTest {

    @Test
    void namesAreJavaBeanNamesUnlessAStrategyIsChosen() {
        assertThat(Configs.valid().build().payload().naming()).isEqualTo(PayloadSettings.Naming.IDENTITY);
        assertThat(Configs.valid().set(ConfigKey.PAYLOAD_NAMING, "snake_case").build().payload().naming())
                .isEqualTo(PayloadSettings.Naming.SNAKE_CASE);
        assertThat(Configs.valid().set(ConfigKey.PAYLOAD_NAMING, "kebab-case").build().payload().naming())
                .isEqualTo(PayloadSettings.Naming.KEBAB_CASE);
        assertThat(Configs.valid().set(ConfigKey.PAYLOAD_NAMING, "UPPER_CAMEL_CASE").build().payload().naming())
                .isEqualTo(PayloadSettings.Naming.UPPER_CAMEL_CASE);
    }

    @Test
    void eachNamingIsOneOfJsonbsStrategies() {
        assertThat(PayloadSettings.Naming.SNAKE_CASE.jsonbStrategy()).isEqualTo("LOWER_CASE_WITH_UNDERSCORES");
        assertThat(PayloadSettings.Naming.KEBAB_CASE.jsonbStrategy()).isEqualTo("LOWER_CASE_WITH_DASHES");
        assertThat(PayloadSettings.Naming.IDENTITY.jsonbStrategy()).isEqualTo("IDENTITY");
        assertThat(PayloadSettings.Naming.UPPER_CAMEL_CASE_WITH_SPACES.jsonbStrategy())
                .isEqualTo("UPPER_CAMEL_CASE_WITH_SPACES");
    }

    @Test
    void anUnknownNamingStopsStartUpWithKeyValueAndChoices() {
        ConfigProblem problem = Configs.onlyProblem(Configs.valid().set(ConfigKey.PAYLOAD_NAMING, "camel"),
                ConfigKey.PAYLOAD_NAMING);

        assertThat(problem.key()).isEqualTo("jetstream.bridge.payload.naming");
        assertThat(problem.value()).isEqualTo("camel");
        assertThat(problem.allowed()).contains("identity", "snake-case", "kebab-case", "upper-camel-case");
    }
}
