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
        if (user != null) {
            return "user-password";
        }
        // jnats authenticates with the URL's own user info when no other kind is set
        return urls.stream().flatMap(url -> UserInfoRedaction.userInfo(url).stream()).findFirst()
                .map(info -> info.contains(":") ? "user-password (in the URL)" : "token (in the URL)")
                .orElse("none");
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
     * {@code ******@}, for messages and logs (see {@link UserInfoRedaction}).
     */
    public static String redactUrls(String urls) {
        return UserInfoRedaction.redactUrls(urls);
    }
}
