package io.jetstreambridge.config;

import java.nio.file.Path;

/** TLS towards NATS. Paths are checked for existence during validation. */
public record TlsSettings(boolean enabled, Path truststore, Secret truststorePassword, Path keystore,
                          Secret keystorePassword) {
}
