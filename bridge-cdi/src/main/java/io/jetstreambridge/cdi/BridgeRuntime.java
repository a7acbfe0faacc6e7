package io.jetstreambridge.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.NatsSettings;
import io.jetstreambridge.core.connection.ConnectionFailedException;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.core.topology.ProvisioningReport;
import io.jetstreambridge.core.topology.StartupProvisioning;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Owns the NATS connection for the application: connects when the application starts (or keeps trying in the
 * background with lazy connect), provisions the stream and every peer's durable when auto-provision is on, and drains the
 * connection when the application stops.
 *
 * <p>Its monitor guards only the connection state and is never held across a network call of seconds
 * (re-provisioning, the drain at shut-down): every outbox publish reads the connection
 * ({@link #currentConnection()}) and must not wait for those.
 */
@ApplicationScoped
public class BridgeRuntime {

    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    BridgeConfig config;

    @Inject
    ManagedExecutors executors;

    private volatile Connection connection;
    private volatile CompletableFuture<Connection> connecting;
    private volatile boolean stopped;
    /** One provisioning run at a time (lazy first connect, re-provisioning), apart from the monitor. */
    private final Object provisioningRun = new Object();
    /** What a provisioning run does; tests hold a run in progress with it. */
    Function<Connection, ProvisioningReport> provisioner =
            conn -> new StreamProvisioner(jetStreamManagement(conn), config).provision();
    private volatile NatsConnector connector;
    private volatile ProvisioningReport provisioning;
    private volatile RuntimeException provisioningFailure;
    private volatile java.time.Instant connectedSince;
    private volatile boolean closedForGood;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        open();
    }

    /**
     * Connects at start-up, provisioning right away so that a refusal stops the deployment; with lazy connect
     * jnats keeps trying in the background and provisioning waits for the first connection.
     */
    synchronized void open() {
        if (stopped || connection != null || connecting != null) {
            return;
        }
        NatsConnector connector = new NatsConnector(config.nats(), this::onConnectionEvent);
        this.connector = connector;
        if (!config.autoProvision()) {
            BridgeLog.provisioningSkipped();
        }
        if (config.nats().lazyConnect()) {
            connecting = connector.connectInBackground();
            return;
        }
        Connection opened = connector.connect();
        try {
            if (config.autoProvision()) {
                provisioning = new StartupProvisioning(() -> provisioner.apply(opened),
                        StartupProvisioning.DEFAULT_PATIENCE).run();
            }
        } catch (RuntimeException e) {
            closeQuietly(opened);
            throw e;
        }
        connection = opened;
        BridgeLog.started(config.appName(), config.peers().names(), config.topology().stream());
    }

    /**
     * The connection.
     *
     * @throws ConnectionFailedException with lazy connect, while the first connection has not succeeded yet
     */
    public synchronized Connection connection() {
        open();
        if (connection == null) {
            if (stopped) {
                throw new ConnectionFailedException("the bridge has stopped: the application is shutting down", null);
            }
            Connection ready = connecting.getNow(null);
            if (ready == null) {
                throw new ConnectionFailedException("NATS is not connected yet: lazy connect is still trying "
                        + NatsSettings.redactUrls(String.join(",", config.nats().urls())), null);
            }
            connection = ready;
            BridgeLog.started(config.appName(), config.peers().names(), config.topology().stream());
        }
        return connection;
    }

    /**
     * Runs the action with the connection now, or, with lazy connect, once the first connection succeeds (on the
     * bridge's executor).
     */
    public void whenConnected(java.util.function.Consumer<Connection> action) {
        CompletableFuture<Connection> pending;
        synchronized (this) {
            open();
            if (connection != null) {
                pending = CompletableFuture.completedFuture(connection);
            } else {
                pending = connecting;
            }
        }
        if (pending == null) {
            return; // stopped: the application is shutting down
        }
        if (pending.isDone()) {
            action.accept(pending.join());
        } else {
            pending.thenAcceptAsync(action, executors.executor());
        }
    }

    /**
     * Provisions again (a deleted consumer, a lost stream): the stream's subjects and every peer's durable; only
     * called when auto-provision is on.
     */
    public void reprovision() {
        Connection conn = connection();
        synchronized (provisioningRun) {
            provision(conn);
        }
    }

    /** The outcome of the last provisioning run, for health details; empty before the first run. */
    public Optional<ProvisioningReport> provisioning() {
        return Optional.ofNullable(provisioning);
    }

    /** Why the last provisioning run failed, if it did and no run succeeded since. */
    public Optional<RuntimeException> provisioningFailure() {
        return Optional.ofNullable(provisioningFailure);
    }

    public BridgeConfig config() {
        return config;
    }

    /**
     * Whether the start-up has run: connected (and provisioned, with auto-provision) or, with lazy connect, trying
     * in the background; false before and after the application's life.
     */
    public boolean started() {
        return !stopped && (connection != null || connecting != null);
    }

    /** Whether a lazy connect is still waiting for its first connection. */
    public boolean lazyConnectPending() {
        CompletableFuture<Connection> pending = connecting;
        return connection == null && pending != null && !pending.isDone();
    }

    /** The last error reported on the connection (a refused lazy connect says why here), if any. */
    public Optional<String> lastConnectionError() {
        NatsConnector current = connector;
        return current == null ? Optional.empty() : current.lastError();
    }

    /**
     * The connection if it is open, without connecting or waiting (unlike {@link #connection()}), for health
     * checks; empty before the first connection succeeds and after shut-down.
     */
    public Optional<Connection> currentConnection() {
        Connection open = connection;
        CompletableFuture<Connection> pending = connecting;
        if (stopped) {
            return Optional.empty();
        }
        if (open != null) {
            return Optional.of(open);
        }
        return pending == null ? Optional.empty() : Optional.ofNullable(pending.getNow(null));
    }

    /** When the connection last came up (first connect or reconnect), for health checks; empty before. */
    public Optional<java.time.Instant> connectedSince() {
        return Optional.ofNullable(connectedSince);
    }

    private void provision(Connection conn) {
        provisioning = provisioner.apply(conn);
        provisioningFailure = null;
    }

    private static io.nats.client.JetStreamManagement jetStreamManagement(Connection conn) {
        try {
            return conn.jetStreamManagement();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open JetStream management on the connection", e);
        }
    }

    /**
     * Whether jnats closed the connection for good before shut-down: a finite {@code nats.max-reconnects} ran out
     * (also a lazy connect that never succeeded), after which nothing connects again until a restart.
     */
    public boolean connectionClosedForGood() {
        return closedForGood;
    }

    /** With lazy connect the first successful connection provisions; a failure is kept for health and retried. */
    private void onConnectionEvent(Connection conn, ConnectionListener.Events event) {
        if (event == ConnectionListener.Events.CLOSED && !stopped) {
            closedForGood = true;
        }
        boolean up = event == ConnectionListener.Events.CONNECTED || event == ConnectionListener.Events.RECONNECTED;
        if (up) {
            connectedSince = java.time.Instant.now();
        }
        if (up && config.nats().lazyConnect() && config.autoProvision() && provisioning == null) {
            CompletableFuture.runAsync(() -> provisionLater(conn), executors.executor());
        }
    }

    private void provisionLater(Connection conn) {
        synchronized (provisioningRun) {
            if (provisioning != null || conn.getStatus() == Connection.Status.CLOSED) {
                return;
            }
            try {
                provision(conn);
            } catch (RuntimeException e) {
                provisioningFailure = e;
                BridgeLog.provisioningDeferred(e);
            }
        }
    }

    /** Takes the connection under the monitor, then drains it (up to 11 s) without holding the monitor. */
    @PreDestroy
    void stop() {
        Connection closing;
        NatsConnector abandoning = null;
        synchronized (this) {
            stopped = true;
            if (connection == null && connecting != null) {
                // still trying in the background: end the attempts, and close whatever it opens meanwhile
                connecting.thenAccept(BridgeRuntime::closeQuietly);
                connection = connecting.getNow(null);
                if (connection == null) {
                    abandoning = connector;
                }
            }
            closing = connection;
            connection = null;
        }
        if (abandoning != null) {
            abandoning.abandonBackgroundConnect(); // may wait for jnats' current attempt: not under the monitor
        }
        if (closing == null) {
            return;
        }
        try {
            closing.drain(DRAIN_TIMEOUT).get(DRAIN_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            BridgeLog.drainFailed(config.nats().connectionName(), e);
        } catch (TimeoutException | java.util.concurrent.ExecutionException | RuntimeException e) {
            BridgeLog.drainFailed(config.nats().connectionName(), e);
        } finally {
            closeQuietly(closing);
            BridgeLog.stopped(config.appName());
        }
    }

    private static void closeQuietly(Connection conn) {
        try {
            conn.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
