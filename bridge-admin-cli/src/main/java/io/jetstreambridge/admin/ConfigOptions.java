package io.jetstreambridge.admin;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.SettingsSource;
import io.jetstreambridge.core.config.MicroProfileSettings;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The options every command shares: where the settings come from, and how much to log. The settings are read by
 * SmallRye Config, the MicroProfile Config implementation, with the ordinals an application server gives the same
 * places: system properties (400) over environment variables (300) over the properties file (100, that of
 * {@code META-INF/microprofile-config.properties}). So {@code JETSTREAM_BRIDGE_NATS_USER} overrides
 * {@code jetstream.bridge.nats.user} from the file, exactly as in the server, and {@code ${...}} expressions work.
 */
final class ConfigOptions {

    static final int FILE_ORDINAL = 100;
    static final int ENVIRONMENT_ORDINAL = 300;

    /** Kept so the levels set here are not lost when java.util.logging forgets unreferenced loggers. */
    private static final Logger BRIDGE_LOG = Logger.getLogger("io.jetstreambridge");
    private static final Logger NATS_LOG = Logger.getLogger("io.nats");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file with jetstream.bridge.* keys (as in microprofile-config.properties). "
                    + "Environment variables such as JETSTREAM_BRIDGE_NATS_USER override it.")
    Path file;

    @Option(names = {"-v", "--verbose"}, description = "Log the bridge's messages (JSBnnnn) and print stack traces.")
    boolean verbose;

    /**
     * The validated configuration.
     *
     * @throws io.jetstreambridge.config.InvalidConfigurationException with every problem found
     * @throws UsageException when the file cannot be read
     */
    BridgeConfig load(Map<String, String> environment) {
        configureLogging();
        return BridgeConfig.from(settings(environment));
    }

    SettingsSource settings(Map<String, String> environment) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new SysPropConfigSource(), new EnvConfigSource(environment, ENVIRONMENT_ORDINAL));
        if (file != null) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new UsageException("--config " + file + ": no readable file at " + file.toAbsolutePath());
            }
            try {
                builder.withSources(new PropertiesConfigSource(file.toUri().toURL(), FILE_ORDINAL));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
            }
        }
        return new MicroProfileSettings(builder.build());
    }

    private void configureLogging() {
        Level level = verbose ? Level.INFO : Level.WARNING;
        BRIDGE_LOG.setLevel(level);
        NATS_LOG.setLevel(level);
    }
}
