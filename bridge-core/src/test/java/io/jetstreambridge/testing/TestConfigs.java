package io.jetstreambridge.testing;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

import java.util.Map;

/** MicroProfile Config for the CDI test containers: what a server registers for an application at deployment. */
public final class TestConfigs {

    private TestConfigs() {
    }

    /**
     * A config holding exactly {@code properties} (one source named {@code sourceName}, ordinal 500), registered for
     * {@code loader} in place of whatever was registered for it before. Release it with
     * {@code ConfigProviderResolver.instance().releaseConfig(config)}.
     */
    public static Config register(Map<String, String> properties, String sourceName, ClassLoader loader) {
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        Config config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, sourceName, 500))
                .build();
        try {
            resolver.releaseConfig(resolver.getConfig(loader));
        } catch (RuntimeException ignored) {
            // nothing registered yet
        }
        resolver.registerConfig(config, loader);
        return config;
    }
}
