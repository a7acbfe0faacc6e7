package io.jetstreambridge.testing;

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
public final class NatsServerExtension extends AbstractNatsExtension<NatsServer> {

    private final Consumer<NatsServer.Builder> customizer;

    private NatsServerExtension(Consumer<NatsServer.Builder> customizer) {
        super("NATS server");
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

    /** The running server, for {@code kill()}, {@code restart()}, its port or its log. */
    public NatsServer server() {
        return started();
    }

    /** {@code nats://127.0.0.1:<port>}. */
    public String url() {
        return server().url();
    }

    @Override
    NatsServer startNew() {
        NatsServer.Builder builder = NatsServer.builder();
        customizer.accept(builder);
        return builder.start();
    }
}
