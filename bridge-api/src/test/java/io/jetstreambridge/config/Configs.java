package io.jetstreambridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Shared helpers of the configuration tests. */
final class Configs {

    private Configs() {
    }

    /** The smallest valid configuration: app {@code orders} talking to {@code billing}. */
    static BridgeConfig.Builder valid() {
        return BridgeConfig.builder().appName("orders").destinationApp("billing");
    }

    /** A settings source over a map, as MicroProfile Config would offer it (environment variables included). */
    static SettingsSource source(Map<String, String> values) {
        return new SettingsSource() {
            @Override
            public Optional<String> get(String name) {
                return Optional.ofNullable(values.get(name));
            }

            @Override
            public Set<String> names() {
                return values.keySet();
            }
        };
    }

    /** Builds, expecting a failure, and returns it. */
    static InvalidConfigurationException invalid(BridgeConfig.Builder builder) {
        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class, builder::build);
        assertThat(e).as("expected an InvalidConfigurationException").isNotNull();
        assertThat(e.problems()).as("problems of a thrown InvalidConfigurationException").isNotEmpty();
        return e;
    }

    /** The one problem reported for the key, which must appear in the exception's message as well. */
    static ConfigProblem problemFor(InvalidConfigurationException e, ConfigKey key) {
        return problemFor(e, key.fullName());
    }

    static ConfigProblem problemFor(InvalidConfigurationException e, String fullKey) {
        List<ConfigProblem> matching = e.problems().stream().filter(p -> p.key().equals(fullKey)).toList();
        assertThat(matching).as("problems for %s among %s", fullKey, e.problems()).hasSize(1);
        ConfigProblem problem = matching.get(0);
        assertThat(e.getMessage()).as("exception message").contains(problem.toString());
        return problem;
    }

    /** Only problems for this key, exactly one, which is returned. */
    static ConfigProblem onlyProblem(BridgeConfig.Builder builder, ConfigKey key) {
        InvalidConfigurationException e = invalid(builder);
        assertThat(e.problems()).as("problems").extracting(ConfigProblem::key).containsExactly(key.fullName());
        return problemFor(e, key);
    }

    // ---- every key's effective value, read back from a BridgeConfig and parsed from text

    /** How each key's effective value is read from a built configuration. */
    static final Map<ConfigKey, Function<BridgeConfig, Object>> READ = new EnumMap<>(ConfigKey.class);

    /** How each key's text (a default or a preset value) becomes the value {@link #READ} gives. */
    static final Map<ConfigKey, Function<String, Object>> PARSE = new EnumMap<>(ConfigKey.class);

    static {
        key(ConfigKey.PRESET, BridgeConfig::preset, t -> Preset.byName(t).orElseThrow());
        key(ConfigKey.APP_NAME, BridgeConfig::appName, t -> t);
        key(ConfigKey.DESTINATION_APP, BridgeConfig::destinationApp, t -> t);
        key(ConfigKey.DESTINATION_APPS, BridgeConfig::destinationApps,
                t -> Arrays.stream(t.split(",")).map(String::trim).toList());
        key(ConfigKey.STREAM_NAME, c -> c.stream().name(), t -> t);
        key(ConfigKey.AUTO_PROVISION, BridgeConfig::autoProvision, Boolean::valueOf);
        key(ConfigKey.DLQ_ENABLED, c -> c.topology().dlqEnabled(), Boolean::valueOf);
        key(ConfigKey.NATS_URLS, c -> c.nats().urls(), t -> Arrays.stream(t.split(",")).map(String::trim).toList());
        key(ConfigKey.NATS_CONNECTION_NAME, c -> c.nats().connectionName(), t -> t);
        key(ConfigKey.NATS_USER, c -> c.nats().user(), t -> t);
        key(ConfigKey.NATS_PASSWORD, c -> c.nats().password(), Secret::of);
        key(ConfigKey.NATS_TOKEN, c -> c.nats().token(), Secret::of);
        key(ConfigKey.NATS_NKEY_SEED, c -> c.nats().nkeySeed(), Secret::of);
        key(ConfigKey.NATS_CREDS_FILE, c -> c.nats().credsFile(), java.nio.file.Path::of);
        key(ConfigKey.NATS_TLS_ENABLED, c -> c.nats().tls().enabled(), Boolean::valueOf);
        key(ConfigKey.NATS_TLS_TRUSTSTORE, c -> c.nats().tls().truststore(), java.nio.file.Path::of);
        key(ConfigKey.NATS_TLS_TRUSTSTORE_PASSWORD, c -> c.nats().tls().truststorePassword(), Secret::of);
        key(ConfigKey.NATS_TLS_KEYSTORE, c -> c.nats().tls().keystore(), java.nio.file.Path::of);
        key(ConfigKey.NATS_TLS_KEYSTORE_PASSWORD, c -> c.nats().tls().keystorePassword(), Secret::of);
        key(ConfigKey.NATS_CONNECT_TIMEOUT, c -> c.nats().connectTimeout(), Durations::parse);
        key(ConfigKey.NATS_RECONNECT_WAIT, c -> c.nats().reconnectWait(), Durations::parse);
        key(ConfigKey.NATS_MAX_RECONNECTS, c -> c.nats().maxReconnects(), Integer::valueOf);
        key(ConfigKey.NATS_PING_INTERVAL, c -> c.nats().pingInterval(), Durations::parse);
        key(ConfigKey.NATS_LAZY_CONNECT, c -> c.nats().lazyConnect(), Boolean::valueOf);
        key(ConfigKey.STREAM_STORAGE, c -> c.stream().storage(),
                t -> StreamSettings.Storage.valueOf(t.toUpperCase(java.util.Locale.ROOT)));
        key(ConfigKey.STREAM_REPLICAS, c -> c.stream().replicas(), Integer::valueOf);
        key(ConfigKey.STREAM_DUPLICATE_WINDOW, c -> c.stream().duplicateWindow(), Durations::parse);
        key(ConfigKey.CONSUMER_ENABLED, c -> c.consumer().enabled(), Boolean::valueOf);
        key(ConfigKey.CONSUMER_MODE, c -> c.consumer().mode(),
                t -> ConsumerSettings.Mode.valueOf(t.toUpperCase(java.util.Locale.ROOT)));
        key(ConfigKey.CONSUMER_BATCH_SIZE, c -> c.consumer().batchSize(), Integer::valueOf);
        key(ConfigKey.CONSUMER_FETCH_TIMEOUT, c -> c.consumer().fetchTimeout(), Durations::parse);
        key(ConfigKey.CONSUMER_MAX_DELIVER, c -> c.consumer().maxDeliver(), Integer::valueOf);
        key(ConfigKey.CONSUMER_ACK_WAIT, c -> c.consumer().ackWait(), Durations::parse);
        key(ConfigKey.CONSUMER_BACKOFF, c -> c.consumer().backoff(), Configs::durations);
        key(ConfigKey.CONSUMER_CONCURRENCY, c -> c.consumer().concurrency(), Integer::valueOf);
        key(ConfigKey.CONSUMER_PROCESSING_TIMEOUT, c -> c.consumer().processingTimeout(), Durations::parse);
        key(ConfigKey.CONSUMER_DRAIN_TIMEOUT, c -> c.consumer().drainTimeout(), Durations::parse);
        key(ConfigKey.CONSUMER_UNRECOVERABLE_EXCEPTIONS, c -> c.consumer().unrecoverableExceptions(),
                t -> Arrays.stream(t.split(",")).map(String::trim).toList());
        key(ConfigKey.INBOX_ENABLED, c -> c.inbox().enabled(), Boolean::valueOf);
        key(ConfigKey.INBOX_RETENTION, c -> c.retention().inbox(), Durations::parse);
        key(ConfigKey.OUTBOX_ENABLED, c -> c.outbox().enabled(), Boolean::valueOf);
        key(ConfigKey.OUTBOX_DATABASE, c -> c.outbox().database(), t -> t);
        key(ConfigKey.OUTBOX_ORDERING, c -> c.outbox().ordering() == OutboxSettings.Ordering.RESOURCE,
                t -> t.equalsIgnoreCase("resource"));
        key(ConfigKey.OUTBOX_SENT_ROWS, c -> c.outbox().sentRows(),
                t -> OutboxSettings.SentRows.valueOf(t.toUpperCase(java.util.Locale.ROOT)));
        key(ConfigKey.OUTBOX_BATCH_SIZE, c -> c.outbox().batchSize(), Integer::valueOf);
        key(ConfigKey.OUTBOX_POLL_INTERVAL, c -> c.outbox().pollInterval(), Durations::parse);
        key(ConfigKey.OUTBOX_GRACE_PERIOD, c -> c.outbox().gracePeriod(), Durations::parse);
        key(ConfigKey.OUTBOX_LEASE, c -> c.outbox().lease(), Durations::parse);
        key(ConfigKey.OUTBOX_MAX_ATTEMPTS, c -> c.outbox().maxAttempts(), Integer::valueOf);
        key(ConfigKey.OUTBOX_RETRY_BACKOFF, c -> c.outbox().retryBackoff(), Durations::parse);
        key(ConfigKey.OUTBOX_RETENTION, c -> c.retention().outbox(), Durations::parse);
        key(ConfigKey.RETENTION_BATCH_SIZE, c -> c.retention().batchSize(), Integer::valueOf);
        key(ConfigKey.RETENTION_INTERVAL, c -> c.retention().interval(), Durations::parse);
        key(ConfigKey.CONSUMER_DELIVER_SUBJECT, c -> c.topology().deliverSubject(), t -> t);
        key(ConfigKey.CONSUMER_QUEUE_GROUP, c -> c.topology().queueGroup(), t -> t);
        key(ConfigKey.CONSUMER_UNOBSERVED_EVENTS, c -> c.consumer().unobservedEvents(),
                t -> ConsumerSettings.UnobservedEvents.valueOf(t.replace('-', '_').toUpperCase(java.util.Locale.ROOT)));
        key(ConfigKey.CONSUMER_MAX_DELIVERIES_WATCH, c -> c.consumer().maxDeliveriesWatch(), Boolean::valueOf);
        key(ConfigKey.CONSUMER_MAX_ACK_PENDING, c -> c.consumer().maxAckPending(), Integer::valueOf);
        key(ConfigKey.CONSUMER_DRIFT, c -> c.consumer().drift(),
                t -> ConsumerSettings.Drift.valueOf(t.toUpperCase(java.util.Locale.ROOT)));
        key(ConfigKey.PUBLISH_ACK_TIMEOUT, c -> c.publish().ackTimeout(), Durations::parse);
        key(ConfigKey.PUBLISH_MAX_ATTEMPTS, c -> c.publish().maxAttempts(), Integer::valueOf);
        key(ConfigKey.PUBLISH_RETRY_BACKOFF, c -> c.publish().retryBackoff(), Durations::parse);
        key(ConfigKey.PUBLISH_ASYNC_WINDOW, c -> c.publish().asyncWindow(), Integer::valueOf);
        key(ConfigKey.HEALTH_CONSUMER_STALL_TIMEOUT, c -> c.health().consumerStallTimeout(), Durations::parse);
        key(ConfigKey.HEALTH_RELAY_STALL_TIMEOUT, c -> c.health().relayStallTimeout(), Durations::parse);
        key(ConfigKey.HEALTH_CHECK_TIMEOUT, c -> c.health().checkTimeout(), Durations::parse);
        key(ConfigKey.PAYLOAD_NAMING, c -> c.payload().naming(),
                t -> PayloadSettings.Naming.valueOf(t.replace('-', '_').toUpperCase(java.util.Locale.ROOT)));
        key(ConfigKey.ADMIN_ENABLED, c -> c.admin().enabled(), Boolean::valueOf);
    }

    private static void key(ConfigKey key, Function<BridgeConfig, Object> read, Function<String, Object> parse) {
        READ.put(key, read);
        PARSE.put(key, parse);
    }

    static List<Duration> durations(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(Durations::parse).toList();
    }

    /** The key's effective value in the configuration; fails with a hint when a new key is not mapped here. */
    static Object read(BridgeConfig config, ConfigKey key) {
        assertThat(READ).as("Configs.READ/PARSE must map every ConfigKey; add %s to Configs", key).containsKey(key);
        return READ.get(key).apply(config);
    }

    static Object parse(ConfigKey key, String text) {
        assertThat(PARSE).as("Configs.READ/PARSE must map every ConfigKey; add %s to Configs", key).containsKey(key);
        return PARSE.get(key).apply(text);
    }
}
