package io.jetstreambridge.testing;

import io.nats.client.Connection;
import io.nats.client.Options;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Consumer;

/**
 * The lifecycle {@link NatsServerExtension} and {@link NatsClusterExtension} share, described on
 * {@link NatsServerExtension}; a subclass only says how to start its fixture and how to hand it out.
 *
 * @param <T> the fixture the extension runs
 */
abstract class AbstractNatsExtension<T extends NatsFixture>
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    /** "NATS server" or "NATS cluster", for the error of a fixture used before it started. */
    private final String fixtureName;
    private final OpenConnections connections = new OpenConnections();
    private T fixture;
    /** Unique id of the JUnit context that started the fixture: nested classes must not start a second one. */
    private String owner;

    AbstractNatsExtension(String fixtureName) {
        this.fixtureName = fixtureName;
    }

    /** Builds and starts a new fixture with the caller's customizations. */
    abstract T startNew();

    @Override
    public void beforeAll(ExtensionContext context) {
        startIfAbsent(context);
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        if (!startIfAbsent(context)) {
            fixture.restartStopped();
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

    /** A connection with the fixture's defaults and credentials, closed by the extension with the fixture. */
    public Connection connect() {
        return connect(options -> {
        });
    }

    /**
     * A connection whose options the caller adjusts, e.g. {@code o -> o.userInfo("app", "app")} to connect
     * as a restricted user; closed by the extension with the fixture.
     */
    public Connection connect(Consumer<Options.Builder> customizer) {
        Options.Builder options = started().connectionOptions();
        customizer.accept(options);
        return connections.track(ConnectionDefaults.connect(options.build()));
    }

    /** Deletes every stream (and so every KV bucket and object store) of the fixture user's account. */
    public void cleanJetStream() {
        Connection connection = started().connect();
        try {
            JetStreamCleaner.deleteAllStreams(connection);
        } finally {
            ConnectionDefaults.close(connection);
        }
    }

    /** The running fixture; fails if the extension is not registered or used outside a test. */
    final synchronized T started() {
        if (fixture == null) {
            throw new IllegalStateException("The " + fixtureName + " is not started: register "
                    + getClass().getSimpleName() + " with @RegisterExtension and use it from test or "
                    + "lifecycle methods.");
        }
        return fixture;
    }

    /** @return whether this call started the fixture */
    private synchronized boolean startIfAbsent(ExtensionContext context) {
        if (fixture != null) {
            return false;
        }
        // a fixture that fails to start is already killed; its directory stays in target/nats for inspection
        fixture = startNew();
        owner = context.getUniqueId();
        return true;
    }

    private synchronized void closeIfOwner(ExtensionContext context) {
        if (fixture == null || !context.getUniqueId().equals(owner)) {
            return;
        }
        try {
            connections.closeAll();
        } finally {
            fixture.close();
            fixture = null;
            owner = null;
        }
    }
}
