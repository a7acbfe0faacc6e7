package io.jetstreambridge.config;

import static io.jetstreambridge.config.Configs.source;
import static io.jetstreambridge.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Building a configuration: defaults, the builder, settings sources and the NATS_URLS/NATS_URL fallback. */
class BridgeConfigTest {

    @Nested
    class Defaults {

        private final BridgeConfig config = valid().build();

        @Test
        void topology() {
            assertThat(config.preset()).isEqualTo(Preset.DEVELOPMENT);
            assertThat(config.appName()).isEqualTo("orders");
            assertThat(config.destinationApp()).isEqualTo("billing");
            assertThat(config.topology().stream()).isEqualTo("jetstream-bridge-stream");
            assertThat(config.topology().publishSubject()).isEqualTo("orders.sync.billing");
            assertThat(config.topology().consumeSubject()).isEqualTo("billing.sync.orders");
            assertThat(config.topology().dlqEnabled()).isTrue();
            assertThat(config.topology().streamSubjects())
                    .containsExactly("orders.sync.billing", "billing.sync.orders", "orders.sync.dlq");
            assertThat(config.topology().deliverSubject()).isEqualTo("billing.sync.orders.worker");
            assertThat(config.topology().queueGroup()).isEqualTo("orders-workers");
            assertThat(config.autoProvision()).isTrue();
        }

        @Test
        void nats() {
            NatsSettings nats = config.nats();
            assertThat(nats.urls()).containsExactly("nats://127.0.0.1:4222");
            assertThat(nats.connectionName()).isEqualTo("jetstream-bridge:orders");
            assertThat(nats.authenticationKind()).isEqualTo("none");
            assertThat(nats.user()).isNull();
            assertThat(nats.password()).isNull();
            assertThat(nats.token()).isNull();
            assertThat(nats.nkeySeed()).isNull();
            assertThat(nats.credsFile()).isNull();
            assertThat(nats.tls()).isEqualTo(new TlsSettings(false, null, null, null, null));
            assertThat(nats.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(nats.reconnectWait()).isEqualTo(Duration.ofSeconds(2));
            assertThat(nats.maxReconnects()).isEqualTo(-1);
            assertThat(nats.pingInterval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(nats.lazyConnect()).isFalse();
        }

        @Test
        void stream() {
            assertThat(config.stream()).isEqualTo(new StreamSettings("jetstream-bridge-stream",
                    StreamSettings.Storage.FILE, 1, Duration.ofMinutes(2)));
        }

        @Test
        void consumer() {
            assertThat(config.consumer()).isEqualTo(new ConsumerSettings(true, ConsumerSettings.Mode.PULL, 100,
                    Duration.ofSeconds(5), 5, Duration.ofSeconds(30),
                    List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
                            Duration.ofSeconds(30)), 1, Duration.ofMinutes(5), Duration.ofSeconds(10), List.of(),
                    ConsumerSettings.UnobservedEvents.ACK, true, 0, ConsumerSettings.Drift.UPDATE));
        }

        @Test
        void inboxIsOffByDefault() {
            assertThat(config.inbox()).isEqualTo(new InboxSettings(false));
        }

        @Test
        void defaultBackoffIsShorterThanMaxDeliver() {
            assertThat(config.consumer().backoff()).hasSizeLessThan(config.consumer().maxDeliver());
        }

        @Test
        void publish() {
            assertThat(config.publish()).isEqualTo(
                    new PublishSettings(Duration.ofSeconds(5), 5, Duration.ofMillis(250), 1024));
        }

        @Test
        void duplicateWindowOutlastsTheDefaultPublishRetries() {
            assertThat(config.publish().worstCaseSpan()).isEqualTo(Duration.ofMillis(25_000 + 250 + 500 + 1000 + 2000));
            assertThat(config.stream().duplicateWindow()).isGreaterThan(config.publish().worstCaseSpan());
        }

        /** ConfigKey.defaultValue() is what docs/configuration.md shows, so it must be what a config gets. */
        @ParameterizedTest
        @EnumSource(ConfigKey.class)
        void everyKeysDocumentedDefaultIsTheEffectiveValue(ConfigKey key) {
            Object effective = Configs.read(config, key);
            if (key.defaultValue() == null) {
                Object expected = switch (key) {
                    case APP_NAME -> "orders";
                    case DESTINATION_APP -> "billing";
                    case DESTINATION_APPS -> List.of("billing"); // the one destination-app
                    case NATS_CONNECTION_NAME -> "jetstream-bridge:orders";
                    case CONSUMER_DELIVER_SUBJECT -> "billing.sync.orders.worker";
                    case CONSUMER_QUEUE_GROUP -> "orders-workers";
                    case CONSUMER_UNRECOVERABLE_EXCEPTIONS -> List.of();
                    case CONSUMER_MAX_DELIVERIES_WATCH -> true; // follows auto-provision
                    case CONSUMER_MAX_ACK_PENDING -> 0; // pull mode: the server's default
                    default -> null;
                };
                assertThat(effective).as("value of %s, which has no default", key.fullName()).isEqualTo(expected);
            } else {
                assertThat(effective).as("value of %s with default '%s'", key.fullName(), key.defaultValue())
                        .isEqualTo(Configs.parse(key, key.defaultValue()));
            }
        }
    }

    @Nested
    class TheBuilder {

        @Test
        void setsKeysByConfigKeyAndByFullName() {
            BridgeConfig config = valid()
                    .set(ConfigKey.STREAM_REPLICAS, "3")
                    .set("jetstream.bridge.consumer.batch-size", "50")
                    .natsUrls("nats://a:4222,nats://b:4222")
                    .build();

            assertThat(config.stream().replicas()).isEqualTo(3);
            assertThat(config.consumer().batchSize()).isEqualTo(50);
            assertThat(config.nats().urls()).containsExactly("nats://a:4222", "nats://b:4222");
        }

        @Test
        void nullRemovesAValue() {
            BridgeConfig config = valid().set(ConfigKey.STREAM_REPLICAS, "3").set(ConfigKey.STREAM_REPLICAS, null)
                    .build();

            assertThat(config.stream().replicas()).isEqualTo(1);
        }

        @Test
        void presetIsSetByItsConfigName() {
            assertThat(valid().preset(Preset.HIGH_THROUGHPUT).build().preset()).isEqualTo(Preset.HIGH_THROUGHPUT);
        }

        @Test
        void laterChangesDoNotAffectABuiltConfiguration() {
            BridgeConfig.Builder builder = valid().set(ConfigKey.STREAM_REPLICAS, "3");
            BridgeConfig first = builder.build();
            builder.set(ConfigKey.STREAM_REPLICAS, "5");

            assertThat(first.stream().replicas()).isEqualTo(3);
            assertThat(builder.build().stream().replicas()).isEqualTo(5);
        }

        @Test
        void blankValueMeansUnsetAsInMicroProfileConfig() {
            BridgeConfig config = valid().set(ConfigKey.STREAM_NAME, "  ").set(ConfigKey.CONSUMER_MODE, "").build();

            assertThat(config.stream().name()).isEqualTo("jetstream-bridge-stream");
            assertThat(config.consumer().mode()).isEqualTo(ConsumerSettings.Mode.PULL);
        }

        @Test
        void surroundingWhitespaceIsIgnored() {
            BridgeConfig config = BridgeConfig.builder().appName(" orders ").destinationApp("billing\t")
                    .set(ConfigKey.STREAM_REPLICAS, " 3 ").set(ConfigKey.CONSUMER_MODE, " PUSH ").build();

            assertThat(config.appName()).isEqualTo("orders");
            assertThat(config.destinationApp()).isEqualTo("billing");
            assertThat(config.stream().replicas()).isEqualTo(3);
            assertThat(config.consumer().mode()).isEqualTo(ConsumerSettings.Mode.PUSH);
        }

        @Test
        void valuesAreCaseInsensitiveWhereTheyAreWords() {
            BridgeConfig config = valid().set(ConfigKey.STREAM_STORAGE, "MEMORY").set(ConfigKey.CONSUMER_MODE, "Push")
                    .set(ConfigKey.AUTO_PROVISION, "FALSE").set(ConfigKey.DLQ_ENABLED, "False")
                    .set(ConfigKey.PRESET, "PRODUCTION").build();

            assertThat(config.stream().storage()).isEqualTo(StreamSettings.Storage.MEMORY);
            assertThat(config.consumer().mode()).isEqualTo(ConsumerSettings.Mode.PUSH);
            assertThat(config.autoProvision()).isFalse();
            assertThat(config.topology().dlqEnabled()).isFalse();
            assertThat(config.preset()).isEqualTo(Preset.PRODUCTION);
        }

        @Test
        void pushSettingsReachTheTopology() {
            BridgeConfig config = valid().set(ConfigKey.CONSUMER_MODE, "push")
                    .set(ConfigKey.CONSUMER_DELIVER_SUBJECT, "deliver.orders")
                    .set(ConfigKey.CONSUMER_QUEUE_GROUP, "order-pool").build();

            assertThat(config.topology().deliverSubject()).isEqualTo("deliver.orders");
            assertThat(config.topology().queueGroup()).isEqualTo("order-pool");
            assertThat(config.topology().durableName()).isEqualTo("orders-workers");
        }

        @Test
        void dlqOffLeavesTheDlqSubjectOutOfTheStream() {
            BridgeConfig config = valid().set(ConfigKey.DLQ_ENABLED, "false").build();

            assertThat(config.topology().streamSubjects())
                    .containsExactly("orders.sync.billing", "billing.sync.orders");
        }

        @Test
        void streamNameReachesTheTopology() {
            BridgeConfig config = valid().set(ConfigKey.STREAM_NAME, "ORDERS_BILLING").build();

            assertThat(config.topology().stream()).isEqualTo("ORDERS_BILLING");
            assertThat(config.stream().name()).isEqualTo("ORDERS_BILLING");
        }

        @Test
        void numbersMayUseUnderscores() {
            assertThat(valid().set(ConfigKey.PUBLISH_ASYNC_WINDOW, "4_096").build().publish().asyncWindow())
                    .isEqualTo(4096);
        }

        @Test
        void tlsUrlsImplyTls() {
            assertThat(valid().natsUrls("tls://nats.example.com:4222").build().nats().tls().enabled()).isTrue();
            assertThat(valid().natsUrls("wss://nats.example.com:443").build().nats().tls().enabled()).isTrue();
            assertThat(valid().natsUrls("nats://nats.example.com:4222").build().nats().tls().enabled()).isFalse();
        }
    }

    @Nested
    class FromSettingsSource {

        @Test
        void readsFullKeyNames() {
            BridgeConfig config = BridgeConfig.from(source(Map.of(
                    "jetstream.bridge.app-name", "orders",
                    "jetstream.bridge.destination-app", "billing",
                    "jetstream.bridge.consumer.max-deliver", "8")));

            assertThat(config.appName()).isEqualTo("orders");
            assertThat(config.consumer().maxDeliver()).isEqualTo(8);
        }

        @Test
        void worksWithASourceThatCannotListItsNames() {
            Map<String, String> values = Map.of("jetstream.bridge.app-name", "orders",
                    "jetstream.bridge.destination-app", "billing");
            SettingsSource lookUpOnly = name -> Optional.ofNullable(values.get(name));

            assertThat(BridgeConfig.from(lookUpOnly).appName()).isEqualTo("orders");
        }

        @Test
        void ignoresPropertiesOutsideThePrefix() {
            Map<String, String> values = new HashMap<>(Map.of("jetstream.bridge.app-name", "orders",
                    "jetstream.bridge.destination-app", "billing", "quarkus.http.port", "8080",
                    "jetstream.other", "x", "JAVA_HOME", "/usr/lib/jvm"));

            assertThat(BridgeConfig.from(source(values)).appName()).isEqualTo("orders");
        }
    }

    @Nested
    class NatsUrlsFromTheEnvironment {

        private final Map<String, String> values = new HashMap<>(Map.of(
                "jetstream.bridge.app-name", "orders", "jetstream.bridge.destination-app", "billing"));

        private List<String> urls() {
            return BridgeConfig.from(source(values)).nats().urls();
        }

        @Test
        void natsUrlsIsUsedWhenTheKeyIsUnset() {
            values.put("NATS_URLS", "nats://n1:4222,nats://n2:4222");

            assertThat(urls()).containsExactly("nats://n1:4222", "nats://n2:4222");
        }

        @Test
        void natsUrlIsUsedWhenNatsUrlsIsUnset() {
            values.put("NATS_URL", "nats://single:4222");

            assertThat(urls()).containsExactly("nats://single:4222");
        }

        @Test
        void natsUrlsWinsOverNatsUrl() {
            values.put("NATS_URLS", "nats://many:4222");
            values.put("NATS_URL", "nats://single:4222");

            assertThat(urls()).containsExactly("nats://many:4222");
        }

        @Test
        void blankNatsUrlsFallsThroughToNatsUrl() {
            values.put("NATS_URLS", " ");
            values.put("NATS_URL", "nats://single:4222");

            assertThat(urls()).containsExactly("nats://single:4222");
        }

        @Test
        void theKeyWinsOverBoth() {
            values.put("jetstream.bridge.nats.urls", "nats://configured:4222");
            values.put("NATS_URLS", "nats://many:4222");
            values.put("NATS_URL", "nats://single:4222");

            assertThat(urls()).containsExactly("nats://configured:4222");
        }

        @Test
        void withNoneTheDefaultIsUsed() {
            assertThat(urls()).containsExactly("nats://127.0.0.1:4222");
        }

        @Test
        void theBuilderAcceptsTheEnvironmentNamesToo() {
            assertThat(valid().set("NATS_URL", "nats://single:4222").build().nats().urls())
                    .containsExactly("nats://single:4222");
        }

        @Test
        void aBadUrlFromTheEnvironmentIsReportedUnderTheKey() {
            values.put("NATS_URLS", "http://wrong:4222");

            InvalidConfigurationException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                    InvalidConfigurationException.class, () -> BridgeConfig.from(source(values)));

            assertThat(e).isNotNull();
            assertThat(Configs.problemFor(e, ConfigKey.NATS_URLS).value()).isEqualTo("http://wrong:4222");
        }
    }
}
