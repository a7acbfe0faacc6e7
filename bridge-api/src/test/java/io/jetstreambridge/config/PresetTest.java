package io.jetstreambridge.config;

import static io.jetstreambridge.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Presets replace defaults, and only defaults: an explicit key always wins. */
class PresetTest {

    private static BridgeConfig with(Preset preset) {
        return valid().preset(preset).build();
    }

    private static final BridgeConfig DEFAULTS = valid().build();

    @Nested
    class Names {

        @ParameterizedTest
        @CsvSource({"DEVELOPMENT, development", "TEST, test", "PRODUCTION, production", "STAGING, staging",
                "HIGH_THROUGHPUT, high-throughput", "MAXIMUM_RELIABILITY, maximum-reliability"})
        void configNameIsLowerCaseWithHyphens(Preset preset, String name) {
            assertThat(preset.configName()).isEqualTo(name);
            assertThat(Preset.byName(name)).contains(preset);
        }

        @ParameterizedTest
        @ValueSource(strings = {"high_throughput", "HIGH_THROUGHPUT", "High-Throughput", " high-throughput "})
        void rubySpellingAndAnyCaseAreAccepted(String name) {
            assertThat(Preset.byName(name)).contains(Preset.HIGH_THROUGHPUT);
        }

        @Test
        void rubySpellingWorksInConfiguration() {
            BridgeConfig ruby = valid().set(ConfigKey.PRESET, "high_throughput").build();
            BridgeConfig java = with(Preset.HIGH_THROUGHPUT);

            assertThat(ruby.preset()).isEqualTo(Preset.HIGH_THROUGHPUT);
            assertThat(ruby).isEqualTo(java);
            assertThat(valid().set(ConfigKey.PRESET, "maximum_reliability").build().preset())
                    .isEqualTo(Preset.MAXIMUM_RELIABILITY);
        }

        @ParameterizedTest
        @ValueSource(strings = {"prod", "dev", "high throughput", "highthroughput", ""})
        void unknownNamesAreNotPresets(String name) {
            assertThat(Preset.byName(name)).isEmpty();
        }

        @Test
        void allowedNamesListsEveryPreset() {
            assertThat(Preset.allowedNames()).isEqualTo(
                    "development, test, production, staging, high-throughput, maximum-reliability");
        }
    }

    @Nested
    class WhatEachPresetChanges {

        @Test
        void developmentIsThePlainDefaults() {
            assertThat(with(Preset.DEVELOPMENT)).isEqualTo(DEFAULTS);
            for (ConfigKey key : ConfigKey.values()) {
                assertThat(Preset.DEVELOPMENT.defaultFor(key)).as("development's %s", key).isEmpty();
            }
        }

        @Test
        void testUsesMemoryStorageShortWaitsAndFewDeliveries() {
            BridgeConfig config = with(Preset.TEST);

            assertThat(config.stream().storage()).isEqualTo(StreamSettings.Storage.MEMORY);
            assertThat(config.consumer().maxDeliver()).isEqualTo(3);
            // no step shorter than the keep-alive can beat (a 100 ms step was: in-progress acks go every 100 ms)
            assertThat(config.consumer().backoff()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500));
            assertThat(config.consumer().ackWait()).isEqualTo(Duration.ofSeconds(5));
            assertThat(config.consumer().fetchTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config.nats().connectTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config.nats().reconnectWait()).isEqualTo(Duration.ofMillis(250));
            assertThat(config.stream().replicas()).as("unchanged").isEqualTo(1);
            assertThat(config.publish()).as("unchanged").isEqualTo(DEFAULTS.publish());
        }

        @Test
        void productionReplicatesTheStreamThreeTimes() {
            BridgeConfig config = with(Preset.PRODUCTION);

            assertThat(config.stream().replicas()).isEqualTo(3);
            assertThat(config.stream().storage()).isEqualTo(StreamSettings.Storage.FILE);
            assertThat(config.consumer().maxDeliver()).isEqualTo(5);
            assertThat(config.consumer().backoff()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5),
                    Duration.ofSeconds(15), Duration.ofSeconds(30));
            assertThat(config.nats()).as("unchanged").isEqualTo(DEFAULTS.nats());
            assertThat(config.publish()).as("unchanged").isEqualTo(DEFAULTS.publish());
        }

        @Test
        void stagingRetriesLikeProductionOnOneReplica() {
            BridgeConfig staging = with(Preset.STAGING);

            assertThat(staging.stream().replicas()).isEqualTo(1);
            assertThat(staging.consumer()).isEqualTo(with(Preset.PRODUCTION).consumer());
        }

        @Test
        void highThroughputUsesBiggerBatchesAndWindowsAndFewerRetries() {
            BridgeConfig config = with(Preset.HIGH_THROUGHPUT);

            assertThat(config.consumer().batchSize()).isEqualTo(100);
            assertThat(config.consumer().concurrency()).isEqualTo(2);
            assertThat(config.consumer().fetchTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config.consumer().maxDeliver()).isEqualTo(3);
            assertThat(config.consumer().backoff()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5));
            assertThat(config.publish().asyncWindow()).isEqualTo(4096);
            assertThat(config.stream()).as("unchanged").isEqualTo(DEFAULTS.stream());
        }

        @Test
        void maximumReliabilityReplicatesAndRetriesLonger() {
            BridgeConfig config = with(Preset.MAXIMUM_RELIABILITY);

            assertThat(config.stream().replicas()).isEqualTo(3);
            assertThat(config.stream().duplicateWindow()).isEqualTo(Duration.ofMinutes(10));
            assertThat(config.consumer().maxDeliver()).isEqualTo(10);
            assertThat(config.consumer().ackWait()).isEqualTo(Duration.ofSeconds(60));
            assertThat(config.consumer().backoff()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5),
                    Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
                    Duration.ofMinutes(5));
            assertThat(config.publish().maxAttempts()).isEqualTo(10);
            assertThat(config.stream().duplicateWindow()).isGreaterThan(config.publish().worstCaseSpan());
        }

        /** Every key's value under every preset is the preset's value if it has one, else the plain default. */
        @ParameterizedTest
        @EnumSource(Preset.class)
        void changesExactlyTheKeysItDeclares(Preset preset) {
            BridgeConfig config = with(preset);
            for (ConfigKey key : ConfigKey.values()) {
                if (key == ConfigKey.PRESET) {
                    continue;
                }
                Object expected = preset.defaultFor(key).map(text -> Configs.parse(key, text))
                        .orElseGet(() -> Configs.read(DEFAULTS, key));
                assertThat(Configs.read(config, key)).as("%s under preset %s", key.fullName(), preset.configName())
                        .isEqualTo(expected);
            }
        }

        @ParameterizedTest
        @EnumSource(Preset.class)
        void neverSetsNamesUrlsOrCredentials(Preset preset) {
            for (ConfigKey key : List.of(ConfigKey.APP_NAME, ConfigKey.DESTINATION_APP, ConfigKey.STREAM_NAME,
                    ConfigKey.NATS_URLS, ConfigKey.NATS_USER, ConfigKey.NATS_PASSWORD, ConfigKey.NATS_TOKEN,
                    ConfigKey.NATS_NKEY_SEED, ConfigKey.NATS_CREDS_FILE, ConfigKey.PRESET)) {
                assertThat(preset.defaultFor(key)).as("%s of preset %s", key, preset).isEmpty();
            }
        }
    }

    @Nested
    class ExplicitKeysWin {

        /** A valid value for each key some preset changes, different from every preset's and the default. */
        private static final Map<ConfigKey, String> OTHER_VALUE = Map.ofEntries(
                Map.entry(ConfigKey.STREAM_STORAGE, "memory"),
                Map.entry(ConfigKey.STREAM_REPLICAS, "2"),
                Map.entry(ConfigKey.STREAM_DUPLICATE_WINDOW, "15m"),
                Map.entry(ConfigKey.CONSUMER_MAX_DELIVER, "20"),
                Map.entry(ConfigKey.CONSUMER_BACKOFF, "2s,4s"),
                Map.entry(ConfigKey.CONSUMER_ACK_WAIT, "45s"),
                Map.entry(ConfigKey.CONSUMER_FETCH_TIMEOUT, "3s"),
                Map.entry(ConfigKey.CONSUMER_BATCH_SIZE, "50"),
                Map.entry(ConfigKey.CONSUMER_CONCURRENCY, "4"),
                Map.entry(ConfigKey.NATS_CONNECT_TIMEOUT, "3s"),
                Map.entry(ConfigKey.NATS_RECONNECT_WAIT, "3s"),
                Map.entry(ConfigKey.PUBLISH_ASYNC_WINDOW, "2048"),
                Map.entry(ConfigKey.PUBLISH_MAX_ATTEMPTS, "7"));

        static Stream<Arguments> presetOverrides() {
            return Arrays.stream(Preset.values()).flatMap(preset -> Arrays.stream(ConfigKey.values())
                    .filter(key -> preset.defaultFor(key).isPresent())
                    .map(key -> arguments(preset, key)));
        }

        @ParameterizedTest(name = "{1} beats preset {0}")
        @MethodSource("presetOverrides")
        void overPresetValue(Preset preset, ConfigKey key) {
            String explicit = OTHER_VALUE.get(key);
            assertThat(explicit).as("PresetTest.OTHER_VALUE needs a valid value for %s, which preset %s changes",
                    key, preset).isNotNull();
            if (key == ConfigKey.STREAM_STORAGE && "memory".equals(preset.defaultFor(key).orElseThrow())) {
                explicit = "file";
            }

            BridgeConfig config = valid().preset(preset).set(key, explicit).build();

            assertThat(Configs.read(config, key)).as("%s under preset %s", key.fullName(), preset.configName())
                    .isEqualTo(Configs.parse(key, explicit));
            assertThat(config.preset()).isEqualTo(preset);
        }

        @Test
        void theDefaultValueWrittenOutBeatsThePresetToo() {
            BridgeConfig config = valid().preset(Preset.PRODUCTION).set(ConfigKey.STREAM_REPLICAS, "1").build();

            assertThat(config.stream().replicas()).isEqualTo(1);
        }

        @Test
        void presetStillAppliesToTheKeysNotGiven() {
            BridgeConfig config = valid().preset(Preset.MAXIMUM_RELIABILITY)
                    .set(ConfigKey.CONSUMER_MAX_DELIVER, "20").build();

            assertThat(config.consumer().maxDeliver()).isEqualTo(20);
            assertThat(config.consumer().backoff()).hasSize(7);
            assertThat(config.stream().replicas()).isEqualTo(3);
        }
    }
}
