package io.jetstreambridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdminSettingsTest {

    @Test
    void theAdminResourcesAreOffUnlessSwitchedOn() {
        assertThat(Configs.valid().build().admin().enabled()).isFalse();
        assertThat(Configs.valid().set(ConfigKey.ADMIN_ENABLED, "TRUE").build().admin().enabled()).isTrue();
    }

    @Test
    void aValueOtherThanTrueOrFalseStopsStartUpWithKeyAndValue() {
        ConfigProblem problem = Configs.onlyProblem(Configs.valid().set(ConfigKey.ADMIN_ENABLED, "yes"),
                ConfigKey.ADMIN_ENABLED);

        assertThat(problem).isEqualTo(new ConfigProblem("jetstream.bridge.admin.enabled", "yes",
                "allowed: true or false"));
    }
}
