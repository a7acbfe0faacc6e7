package io.jetstreambridge.runtime.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.runtime.connection.NatsConnector;
import io.jetstreambridge.runtime.log.BridgeLog;
import io.jetstreambridge.runtime.topology.ProvisioningReport;
import io.jetstreambridge.runtime.topology.StreamProvisioner;
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

/**
 * Owns the NATS connection for the application: connects when the application starts (or keeps trying in the
 * background with lazy connect), provisions the stream and consumer when auto-provision is on, and drains the
 * connection when the application stops.
 */
@ApplicationScoped
public class BridgeRuntime {

    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    BridgeConfig config;

    @Inject
    ManagedExecutors executors;

    private Connection connection;
    private volatile ProvisioningReport provisioning;
    private volatile RuntimeException provisioningFailure;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        connection();
    }

    /** The connection, opened on first use; with lazy connect it may still be reconnecting. */
    public synchronized Connection connection() {
        if (connection == null) {
            Connection opened = new NatsConnector(config.nats(), this::onConnectionEvent).connect();
            try {
                if (!config.autoProvision()) {
                    BridgeLog.provisioningSkipped();
                } else if (opened.getStatus() == Connection.Status.CONNECTED) {
                    provision(opened); // at start-up a refusal must stop the deployment, so it is not deferred
                }
            } catch (RuntimeException e) {
                closeQuietly(opened);
                throw e;
            }
            connection = opened;
            BridgeLog.started(config.appName(), config.destinationApp(), config.topology().stream());
        }
        return connection;
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

    private void provision(Connection conn) {
        try {
            provisioning = new StreamProvisioner(conn.jetStreamManagement(), config).provision();
            provisioningFailure = null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open JetStream management on the connection", e);
        }
    }

    /** With lazy connect the first successful connection provisions; a failure is kept for health and retried. */
    private void onConnectionEvent(Connection conn, ConnectionListener.Events event) {
        boolean up = event == ConnectionListener.Events.CONNECTED || event == ConnectionListener.Events.RECONNECTED;
        if (up && config.autoProvision() && provisioning == null) {
            CompletableFuture.runAsync(() -> {
                synchronized (this) {
                    if (provisioning != null || connection == null) {
                        return;
                    }
                    try {
                        provision(connection);
                    } catch (RuntimeException e) {
                        provisioningFailure = e;
                        BridgeLog.provisioningDeferred(e);
                    }
                }
            }, executors.executor());
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (connection == null) {
            return;
        }
        try {
            connection.drain(DRAIN_TIMEOUT).get(DRAIN_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            BridgeLog.drainFailed(config.nats().connectionName(), e);
        } catch (TimeoutException | java.util.concurrent.ExecutionException | RuntimeException e) {
            BridgeLog.drainFailed(config.nats().connectionName(), e);
        } finally {
            closeQuietly(connection);
            connection = null;
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
