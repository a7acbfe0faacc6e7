package io.jetstreambridge.config;

import java.util.Optional;
import java.util.Set;

/**
 * Where raw setting values come from: MicroProfile Config in a container, a map in tests, a properties file in a
 * command-line tool. The configuration model reads only through this, so it has one way in.
 */
@FunctionalInterface
public interface SettingsSource {

    /** The raw value of a property by its full name (for example {@code jetstream.bridge.app-name}). */
    Optional<String> get(String name);

    /** Every property name the source knows, used to report misspelt {@code jetstream.bridge.*} keys. */
    default Set<String> names() {
        return Set.of();
    }
}
