package io.jetstreambridge.config;

import io.jetstreambridge.topology.Peers;
import io.jetstreambridge.topology.Topology;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole, validated, immutable configuration of one bridge. Built once at start-up from a
 * {@link SettingsSource} (MicroProfile Config in a container) or with the {@link Builder}; either way one
 * validation pass collects every problem and throws them together as an {@link InvalidConfigurationException}.
 */
public record BridgeConfig(Preset preset, Peers peers, boolean autoProvision, NatsSettings nats,
                           StreamSettings stream, ConsumerSettings consumer, InboxSettings inbox,
                           OutboxSettings outbox, RetentionSettings retention, PublishSettings publish,
                           HealthSettings health, AdminSettings admin, PayloadSettings payload) {

    public BridgeConfig {
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(nats, "nats");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(inbox, "inbox");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(publish, "publish");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * Reads and validates every key under {@value ConfigKey#PREFIX}.
     *
     * @throws InvalidConfigurationException listing every problem found
     */
    public static BridgeConfig from(SettingsSource source) {
        return new ConfigReader(source).read();
    }

    /**
     * The primary (first) peer's topology: the stream, the app name, the dead-letter subject, and the one peer of an
     * application with one. An application with several peers has one per peer in {@link #peers()}.
     */
    public Topology topology() {
        return peers.primary();
    }

    public String appName() {
        return topology().appName();
    }

    /** The primary (first) peer; {@link #destinationApps()} for all of them. */
    public String destinationApp() {
        return topology().destinationApp();
    }

    /** Every peer, in the configured order. */
    public List<String> destinationApps() {
        return peers.names();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a configuration from key/value text, exactly as MicroProfile Config would supply it, so programmatic
     * and container configuration share one set of rules.
     */
    public static final class Builder {

        private final Map<String, String> values = new HashMap<>();

        private Builder() {
        }

        public Builder appName(String appName) {
            return set(ConfigKey.APP_NAME, appName);
        }

        public Builder destinationApp(String destinationApp) {
            return set(ConfigKey.DESTINATION_APP, destinationApp);
        }

        /** Several peers, the first the primary one ({@code destination-apps}). */
        public Builder destinationApps(String... destinationApps) {
            return set(ConfigKey.DESTINATION_APPS, String.join(",", destinationApps));
        }

        public Builder natsUrls(String urls) {
            return set(ConfigKey.NATS_URLS, urls);
        }

        public Builder preset(Preset preset) {
            return set(ConfigKey.PRESET, preset.configName());
        }

        public Builder set(ConfigKey key, String value) {
            return set(key.fullName(), value);
        }

        /** Sets any property by its full name, including {@code NATS_URLS} and misspelt keys (reported). */
        public Builder set(String name, String value) {
            if (value == null) {
                values.remove(name);
            } else {
                values.put(name, value);
            }
            return this;
        }

        /** @throws InvalidConfigurationException listing every problem found */
        public BridgeConfig build() {
            Map<String, String> snapshot = Map.copyOf(values);
            return from(new SettingsSource() {
                @Override
                public Optional<String> get(String name) {
                    return Optional.ofNullable(snapshot.get(name));
                }

                @Override
                public java.util.Set<String> names() {
                    return snapshot.keySet();
                }
            });
        }
    }
}
