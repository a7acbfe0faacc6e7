package io.jetstreambridge.config;

import static io.jetstreambridge.config.ConfigKey.CONSUMER_ACK_WAIT;
import static io.jetstreambridge.config.ConfigKey.CONSUMER_BACKOFF;
import static io.jetstreambridge.config.ConfigKey.CONSUMER_BATCH_SIZE;
import static io.jetstreambridge.config.ConfigKey.CONSUMER_CONCURRENCY;
import static io.jetstreambridge.config.ConfigKey.CONSUMER_FETCH_TIMEOUT;
import static io.jetstreambridge.config.ConfigKey.CONSUMER_MAX_DELIVER;
import static io.jetstreambridge.config.ConfigKey.NATS_CONNECT_TIMEOUT;
import static io.jetstreambridge.config.ConfigKey.NATS_RECONNECT_WAIT;
import static io.jetstreambridge.config.ConfigKey.PUBLISH_ASYNC_WINDOW;
import static io.jetstreambridge.config.ConfigKey.PUBLISH_MAX_ATTEMPTS;
import static io.jetstreambridge.config.ConfigKey.STREAM_DUPLICATE_WINDOW;
import static io.jetstreambridge.config.ConfigKey.STREAM_REPLICAS;
import static io.jetstreambridge.config.ConfigKey.STREAM_STORAGE;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Named sets of defaults, as in the Ruby gem. A preset only replaces defaults: a key set explicitly always wins.
 */
public enum Preset {

    /** The plain defaults: one replica, file storage, gentle retries. */
    DEVELOPMENT(Map.of()),

    /** Fast feedback in test suites: memory storage, short waits, few deliveries. */
    TEST(Map.of(
            STREAM_STORAGE, "memory",
            CONSUMER_MAX_DELIVER, "3",
            CONSUMER_BACKOFF, "250ms,500ms", // not below ConsumerSettings.SHORTEST_ACK_WAIT: the keep-alive beats it
            CONSUMER_ACK_WAIT, "5s",
            CONSUMER_FETCH_TIMEOUT, "1s",
            NATS_CONNECT_TIMEOUT, "1s",
            NATS_RECONNECT_WAIT, "250ms")),

    /** Replicated stream (R3) on a cluster, the default retry ladder. */
    PRODUCTION(Map.of(
            STREAM_REPLICAS, "3",
            CONSUMER_MAX_DELIVER, "5",
            CONSUMER_BACKOFF, "1s,5s,15s,30s")),

    /** Production's retry behaviour on a single-replica stream, as staging clusters are often smaller. */
    STAGING(Map.of(
            STREAM_REPLICAS, "1",
            CONSUMER_MAX_DELIVER, "5",
            CONSUMER_BACKOFF, "1s,5s,15s,30s")),

    /** Bigger batches and windows, fewer retries. */
    HIGH_THROUGHPUT(Map.of(
            CONSUMER_BATCH_SIZE, "100",
            CONSUMER_CONCURRENCY, "2",
            CONSUMER_FETCH_TIMEOUT, "1s",
            CONSUMER_MAX_DELIVER, "3",
            CONSUMER_BACKOFF, "1s,5s",
            PUBLISH_ASYNC_WINDOW, "4096")),

    /** R3, long dedupe window, many deliveries with a long back-off, many publish attempts. */
    MAXIMUM_RELIABILITY(Map.of(
            STREAM_REPLICAS, "3",
            STREAM_DUPLICATE_WINDOW, "10m",
            CONSUMER_MAX_DELIVER, "10",
            CONSUMER_ACK_WAIT, "60s",
            CONSUMER_BACKOFF, "1s,5s,15s,30s,1m,2m,5m",
            PUBLISH_MAX_ATTEMPTS, "10"));

    private final Map<ConfigKey, String> defaults;

    Preset(Map<ConfigKey, String> defaults) {
        this.defaults = defaults;
    }

    /** The name used in configuration, e.g. {@code high-throughput}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** This preset's default for the key, if it changes it. */
    public Optional<String> defaultFor(ConfigKey key) {
        return Optional.ofNullable(defaults.get(key));
    }

    /** Accepts {@code high-throughput} and the Ruby spelling {@code high_throughput}, in any case. */
    public static Optional<Preset> byName(String name) {
        String normal = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(p -> p.configName().equals(normal)).findFirst();
    }

    public static String allowedNames() {
        return Arrays.stream(values()).map(Preset::configName).collect(Collectors.joining(", "));
    }
}
