package io.jetstreambridge.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    /** Like the record's own, but with user info inside URLs ({@code nats://user:password@host}) masked. */
    @Override
    public String toString() {
        return "NatsSettings[urls=" + urls.stream().map(NatsSettings::redactUrls).toList() + ", connectionName="
                + connectionName + ", user=" + user + ", password=" + password + ", token=" + token + ", nkeySeed="
                + nkeySeed + ", credsFile=" + credsFile + ", tls=" + tls + ", connectTimeout=" + connectTimeout
                + ", reconnectWait=" + reconnectWait + ", maxReconnects=" + maxReconnects + ", pingInterval="
                + pingInterval + ", lazyConnect=" + lazyConnect + "]";
    }

    /**
     * Comma-separated server URLs with the user info of each ({@code user:password@} or {@code token@}) replaced by
     * {@code ******@}, for messages and logs.
     */
    public static String redactUrls(String urls) {
        List<String> redacted = new ArrayList<>();
        for (String url : urls.split(",", -1)) {
            int scheme = url.indexOf("://");
            int start = scheme < 0 ? 0 : scheme + 3;
            int path = url.indexOf('/', start);
            int at = url.lastIndexOf('@', path < 0 ? url.length() - 1 : path - 1);
            redacted.add(at >= start ? url.substring(0, start) + "******" + url.substring(at) : url);
        }
        return String.join(",", redacted);
    }
}
