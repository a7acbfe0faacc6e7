package io.jetstreambridge.core.config;

import io.jetstreambridge.config.SettingsSource;
import org.eclipse.microprofile.config.Config;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The one place the bridge reads MicroProfile Config; everything else receives a typed {@code BridgeConfig}. Public
 * for the admin command line, which reads a properties file and the environment through the same implementation.
 */
public final class MicroProfileSettings implements SettingsSource {

    private final Config config;

    public MicroProfileSettings(Config config) {
        this.config = config;
    }

    @Override
    public Optional<String> get(String name) {
        return config.getOptionalValue(name, String.class);
    }

    @Override
    public Set<String> names() {
        Set<String> names = new HashSet<>();
        config.getPropertyNames().forEach(names::add);
        return names;
    }
}
