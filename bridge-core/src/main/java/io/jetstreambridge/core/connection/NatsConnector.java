package io.jetstreambridge.core.connection;

import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.config.NatsSettings;
import io.jetstreambridge.config.Secret;
import io.jetstreambridge.config.UserInfoRedaction;
import io.jetstreambridge.core.log.BridgeLog;
import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Builds jnats {@link Options} from {@link NatsSettings} and opens the connection. Credentials go only into the
 * options; logs show the connection name, redacted URLs and the kind of authentication.
 */
public final class NatsConnector {

    private final NatsSettings settings;
    private final ConnectionListener listener;
    /** jnats reports why a handshake failed (e.g. an untrusted certificate) only to the error listener. */
    private final AtomicReference<String> lastError = new AtomicReference<>();
    /**
     * The connection jnats opens in the background, as it first names it (in a connection event or an error);
     * until it succeeds it exists nowhere else, and only closing it stops jnats from trying.
     */
    private final AtomicReference<Connection> inBackground = new AtomicReference<>();
    private volatile boolean background;
    private volatile boolean abandoned;

    /**
     * @param listener told about every connection event in addition to the connector's own logging; may be null
     */
    public NatsConnector(NatsSettings settings, ConnectionListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = listener;
    }

    /**
     * The last error the server or jnats reported on this connector's connection (such as {@code Authorization
     * Violation} while a lazy connect keeps being refused), for health checks.
     */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }

    /**
     * Connects now.
     *
     * @throws ConnectionFailedException when the servers cannot be reached or refuse the credentials
     */
    public Connection connect() {
        try {
            return Nats.connect(options(listener));
        } catch (IOException e) {
            // jnats names the servers with their user info ("Unable to connect to NATS servers: [nats://u:p@h]")
            throw new ConnectionFailedException("cannot connect '" + settings.connectionName() + "' to "
                    + redactedUrls() + " (authentication: " + settings.authenticationKind() + "): "
                    + UserInfoRedaction.redact(e.getMessage())
                    + (lastError.get() == null ? "" : " (last error: " + lastError.get() + ")")
                    + ". Check jetstream.bridge.nats.urls and credentials, or set jetstream.bridge.nats.lazy-connect"
                    + "=true to start while NATS is unreachable", RedactedFailure.of(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionFailedException("interrupted while connecting to " + redactedUrls(), e);
        }
    }

    /**
     * Lazy connect: returns at once; jnats keeps trying in its own thread and the stage completes with the
     * connection when it first succeeds.
     */
    public CompletableFuture<Connection> connectInBackground() {
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        ConnectionListener completing = (connection, event) -> {
            // after a failed first attempt jnats reports the first success as a reconnect
            if (event == ConnectionListener.Events.CONNECTED || event == ConnectionListener.Events.RECONNECTED) {
                connected.complete(connection);
            }
            if (listener != null) {
                listener.connectionEvent(connection, event);
            }
        };
        BridgeLog.connectingInBackground(settings.connectionName(), redactedUrls());
        background = true;
        try {
            Nats.connectAsynchronously(options(completing), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connected.completeExceptionally(e);
        }
        return connected;
    }

    /**
     * Ends a lazy connect for good (at shut-down): closes the connection jnats is still trying to open, or has
     * opened, so that it stops retrying; one it names only later is closed as soon as it does.
     */
    public void abandonBackgroundConnect() {
        abandoned = true;
        Connection connection = inBackground.get();
        if (connection != null) {
            closeQuietly(connection);
        }
    }

    private void seen(Connection connection) {
        if (background && connection != null && inBackground.compareAndSet(null, connection) && abandoned) {
            // named after the shut-down: close it apart from jnats' own thread, which close() may wait for
            Thread closing = new Thread(() -> closeQuietly(connection), "jetstream-bridge-abandoned-connect");
            closing.setDaemon(true);
            closing.start();
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The jnats options for these settings, reporting connection events to the given listener too. */
    Options options(ConnectionListener forward) {
        Options.Builder builder = new Options.Builder()
                .servers(settings.urls().toArray(String[]::new))
                .connectionName(settings.connectionName())
                .connectionTimeout(settings.connectTimeout())
                .reconnectWait(settings.reconnectWait())
                .maxReconnects(settings.maxReconnects())
                .pingInterval(settings.pingInterval())
                .connectionListener((connection, event) -> onEvent(connection, event, forward))
                .errorListener(new LoggingErrorListener(settings.connectionName(), lastError, this::seen));
        authenticate(builder);
        secure(builder);
        try {
            return builder.build();
        } catch (IllegalStateException e) {
            // jnats opens the truststore and keystore here: a wrong password or a file that is no keystore
            // surfaces as "Unable to create SSL context"; the cause says why, never with the password
            throw new ConnectionFailedException("cannot prepare the connection '" + settings.connectionName()
                    + "': " + e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage())
                    + ". Check " + ConfigKey.NATS_TLS_TRUSTSTORE.fullName() + ", "
                    + ConfigKey.NATS_TLS_KEYSTORE.fullName() + " and their passwords", e);
        }
    }

    private void authenticate(Options.Builder builder) {
        if (settings.user() != null) {
            builder.userInfo(settings.user().toCharArray(), settings.password().reveal().toCharArray());
        } else if (settings.token() != null) {
            builder.token(settings.token().reveal().toCharArray());
        } else if (settings.nkeySeed() != null) {
            requireBouncyCastle(ConfigKey.NATS_NKEY_SEED);
            builder.authHandler(new NKeyAuthHandler(settings.nkeySeed()));
        } else if (settings.credsFile() != null) {
            requireBouncyCastle(ConfigKey.NATS_CREDS_FILE);
            builder.authHandler(Nats.credentials(settings.credsFile().toString()));
        }
    }

    private static void requireBouncyCastle(ConfigKey authentication) {
        if (!bouncyCastlePresent()) {
            throw new ConnectionFailedException(authentication.fullName() + " needs BouncyCastle "
                    + "(org.bouncycastle:bcprov-lts8on, a dependency of jnats), which jnats signs nkey nonces with, "
                    + "but it is not on the application's class path (excluded from the WAR?). Put it back, or "
                    + "authenticate with " + ConfigKey.NATS_USER.fullName() + " and "
                    + ConfigKey.NATS_PASSWORD.fullName() + ", or " + ConfigKey.NATS_TOKEN.fullName()
                    + ", which do not need it", null);
        }
    }

    private void secure(Options.Builder builder) {
        var tls = settings.tls();
        if (!tls.enabled()) {
            return;
        }
        if (tls.truststore() != null) {
            builder.truststorePath(tls.truststore().toString());
            if (tls.truststorePassword() != null) {
                builder.truststorePassword(tls.truststorePassword().reveal().toCharArray());
            }
        }
        if (tls.keystore() != null) {
            builder.keystorePath(tls.keystore().toString());
            if (tls.keystorePassword() != null) {
                builder.keystorePassword(tls.keystorePassword().reveal().toCharArray());
            }
        }
        if (tls.truststore() == null && tls.keystore() == null) {
            try {
                builder.secure();
            } catch (GeneralSecurityException e) {
                throw new ConnectionFailedException("the JVM's default TLS context is unavailable: " + e, e);
            }
        }
    }

    private void onEvent(Connection connection, ConnectionListener.Events event, ConnectionListener forward) {
        seen(connection);
        String url = connection.getConnectedUrl();
        if (event == ConnectionListener.Events.CONNECTED) {
            BridgeLog.connected(settings.connectionName(), url == null ? "?" : UserInfoRedaction.redactUrls(url));
        } else {
            BridgeLog.connectionEvent(settings.connectionName(), event.name().toLowerCase(),
                    url == null ? null : UserInfoRedaction.redactUrls(url));
        }
        if (forward != null) {
            forward.connectionEvent(connection, event);
        }
    }

    private String redactedUrls() {
        return UserInfoRedaction.redactUrls(String.join(",", settings.urls()));
    }

    /**
     * Whether BouncyCastle, which jnats signs nkey nonces with (Ed25519 in {@code NKey}), is there. It is the only
     * thing jnats needs it for, and 5.9 MB of the 6.9 MB the bridge adds to a WAR, so an application that
     * authenticates with user and password or a token may leave it out.
     */
    static boolean bouncyCastlePresent() {
        try {
            Class.forName("org.bouncycastle.crypto.signers.Ed25519Signer", false, NKey.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Signs the server's nonce with the user seed; no JWT (plain nkey authentication). */
    private static final class NKeyAuthHandler implements AuthHandler {
        private final NKey key;

        NKeyAuthHandler(Secret seed) {
            this.key = NKey.fromSeed(seed.reveal().toCharArray());
        }

        @Override
        public byte[] sign(byte[] nonce) {
            try {
                return key.sign(nonce);
            } catch (GeneralSecurityException | IOException e) {
                throw new ConnectionFailedException("cannot sign the server nonce with the nkey seed", e);
            }
        }

        @Override
        public char[] getID() {
            try {
                return key.getPublicKey();
            } catch (GeneralSecurityException | IOException e) {
                throw new ConnectionFailedException("cannot derive the public key from the nkey seed", e);
            }
        }

        @Override
        public char[] getJWT() {
            return null;
        }
    }

    /** Logs asynchronous errors (permission violations, slow consumers) without credentials. */
    private record LoggingErrorListener(String name, AtomicReference<String> last,
                                        Consumer<Connection> seen) implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            seen.accept(conn);
            String redacted = UserInfoRedaction.redact(error);
            last.set(redacted);
            BridgeLog.connectionError(name, redacted);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            seen.accept(conn);
            // after the server refused the credentials jnats also reports a bare TimeoutException of its own;
            // keeping it as the last error would hide the server's reason ("Authorization Violation")
            String redacted = UserInfoRedaction.redact(String.valueOf(exp));
            if (!(exp instanceof java.util.concurrent.TimeoutException) || last.get() == null) {
                last.set(redacted);
            }
            BridgeLog.connectionError(name, redacted);
        }
    }
}
