package io.jetstreambridge.testing;

import io.nats.client.Connection;
import io.nats.client.Options;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * JUnit 5 extension that gives a test class one real nats-server with JetStream.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NatsServerExtension NATS = NatsServerExtension.create();
 *
 * // with users and permissions: the fixture's own connections log in as admin
 * @RegisterExtension
 * static final NatsServerExtension SECURED = NatsServerExtension.create(server -> server
 *         .extraConfig("""
 *             authorization {
 *               users = [
 *                 { user: admin, password: secret }
 *                 { user: app, password: app, permissions: { publish: "orders.>", subscribe: "_INBOX.>" } }
 *               ]
 *             }""")
 *         .credentials("admin", "secret"));
 * }</pre>
 *
 * <p>Registered on a static field, the server starts before the first test of the class and is closed
 * (process stopped, directory deleted) after the last; on an instance field it lives for one test. If a
 * test stopped or killed the server, it is restarted before the next test, with its data, so tests stay
 * independent of each other's order. Connections from {@link #connect()} are closed with the server.
 * Call {@link #cleanJetStream()} in {@code @BeforeEach} when tests must not see each other's streams.
 */
public final class NatsServerExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private final Consumer<NatsServer.Builder> customizer;
    private final OpenConnections connections = new OpenConnections();
    private NatsServer server;
    /** Unique id of the JUnit context that started the server: nested classes must not start a second one. */
    private String owner;

    private NatsServerExtension(Consumer<NatsServer.Builder> customizer) {
        this.customizer = Objects.requireNonNull(customizer, "customizer");
    }

    /** A default server: JetStream, no authorization. */
    public static NatsServerExtension create() {
        return new NatsServerExtension(builder -> {
        });
    }

    /** A server whose builder the caller adjusts: extra config, credentials, server name, binary... */
    public static NatsServerExtension create(Consumer<NatsServer.Builder> customizer) {
        return new NatsServerExtension(customizer);
    }

    /**
     * A server with this text appended to its config file. If it enables authorization, use
     * {@link #create(Consumer)} and also set {@link NatsServer.Builder#credentials credentials}.
     */
    public static NatsServerExtension withConfig(String extraConfig) {
        Objects.requireNonNull(extraConfig, "extraConfig");
        return new NatsServerExtension(builder -> builder.extraConfig(extraConfig));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startIfAbsent(context);
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        if (!startIfAbsent(context) && !server.isRunning()) {
            server.restart();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeIfOwner(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeIfOwner(context);
    }

    /** The running server, for {@code kill()}, {@code restart()}, its port or its log. */
    public synchronized NatsServer server() {
        if (server == null) {
            throw new IllegalStateException("The NATS server is not started: register NatsServerExtension with "
                    + "@RegisterExtension and use it from test or lifecycle methods.");
        }
        return server;
    }

    /** {@code nats://127.0.0.1:<port>}. */
    public String url() {
        return server().url();
    }

    /** A connection with the fixture's defaults and credentials, closed by the extension after the class. */
    public Connection connect() {
        return connect(options -> {
        });
    }

    /**
     * A connection whose options the caller adjusts, e.g. {@code o -> o.userInfo("app", "app")} to connect
     * as a restricted user; closed by the extension after the class.
     */
    public Connection connect(Consumer<Options.Builder> customizer) {
        Options.Builder options = server().connectionOptions();
        customizer.accept(options);
        return connections.track(ConnectionDefaults.connect(options.build()));
    }

    /** Deletes every stream (and so every KV bucket and object store) of the fixture user's account. */
    public void cleanJetStream() {
        Connection connection = server().connect();
        try {
            JetStreamCleaner.deleteAllStreams(connection);
        } finally {
            ConnectionDefaults.close(connection);
        }
    }

    /** @return whether this call started the server */
    private synchronized boolean startIfAbsent(ExtensionContext context) {
        if (server != null) {
            return false;
        }
        NatsServer.Builder builder = NatsServer.builder();
        customizer.accept(builder);
        // a server that fails to start is already killed; its directory stays in target/nats for inspection
        server = builder.build().start();
        owner = context.getUniqueId();
        return true;
    }

    private synchronized void closeIfOwner(ExtensionContext context) {
        if (server == null || !context.getUniqueId().equals(owner)) {
            return;
        }
        try {
            connections.closeAll();
        } finally {
            server.close();
            server = null;
            owner = null;
        }
    }
}
