package io.jetstreambridge.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to reach NATS. At most one authentication kind is set (validated); credentials are {@link Secret}s so this
 * record's {@code toString} is safe to log.
 */
public record NatsSettings(List<String> urls, String connectionName, String user, Secret password, Secret token,
                           Secret nkeySeed, Path credsFile, TlsSettings tls, Duration connectTimeout,
                           Duration reconnectWait, int maxReconnects, Duration pingInterval, boolean lazyConnect) {

    public NatsSettings {
        urls = List.copyOf(urls);
    }

    /** The authentication kind in use, for logs and health details. */
    public String authenticationKind() {
        if (credsFile != null) {
            return "creds-file";
        }
        if (nkeySeed != null) {
            return "nkey";
        }
        if (token != null) {
            return "token";
        }
        return user != null ? "user-password" : "none";
    }
}
