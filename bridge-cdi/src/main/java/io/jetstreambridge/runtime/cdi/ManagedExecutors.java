package io.jetstreambridge.runtime.cdi;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The executor the bridge runs its background work on: the container's default managed executor when there is
 * one (so work runs with the application's context and the server owns the threads), else a small pool of the
 * bridge's own, which is the only one it shuts down.
 */
@ApplicationScoped
public class ManagedExecutors {

    static final String DEFAULT_EXECUTOR = "java:comp/DefaultManagedExecutorService";

    private ExecutorService executor;
    private boolean owned;

    /** The executor for publish retries and other short background tasks. */
    public synchronized ExecutorService executor() {
        if (executor == null) {
            try {
                executor = (ExecutorService) new InitialContext().lookup(DEFAULT_EXECUTOR);
            } catch (NamingException | RuntimeException e) {
                // outside an application server (tests, plain CDI SE) there is no managed executor
                executor = Executors.newFixedThreadPool(2, runnable -> {
                    Thread thread = new Thread(runnable, "jetstream-bridge-worker");
                    thread.setDaemon(true);
                    return thread;
                });
                owned = true;
            }
        }
        return executor;
    }

    @PreDestroy
    synchronized void shutdown() {
        if (owned && executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
