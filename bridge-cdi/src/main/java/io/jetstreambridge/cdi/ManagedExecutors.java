package io.jetstreambridge.cdi;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the bridge runs on: the container's default managed executor, scheduled executor and thread
 * factory when there are (so work runs with the application's context and the server owns the threads), else
 * small pools of the bridge's own, which are the only ones it shuts down. A failed look-up inside a server is logged
 * ({@code JSB9010}) with the JNDI name.
 */
@ApplicationScoped
public class ManagedExecutors {

    static final String DEFAULT_EXECUTOR = ContainerResources.DEFAULT_EXECUTOR;
    static final String DEFAULT_SCHEDULER = ContainerResources.DEFAULT_SCHEDULER;
    static final String DEFAULT_THREAD_FACTORY = ContainerResources.DEFAULT_THREAD_FACTORY;

    private final List<ExecutorService> owned = new ArrayList<>();
    private ExecutorService executor;
    private ScheduledExecutorService scheduler;
    private ThreadFactory threadFactory;

    /** For publish retries and other short background tasks. */
    public synchronized ExecutorService executor() {
        if (executor == null) {
            executor = lookup(DEFAULT_EXECUTOR, ExecutorService.class, "a pool of 2 threads");
            if (executor == null) {
                executor = own(Executors.newFixedThreadPool(2, daemons("jetstream-bridge-worker")));
            }
        }
        return executor;
    }

    /** For keep-alive beats of messages being processed. */
    public synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = lookup(DEFAULT_SCHEDULER, ScheduledExecutorService.class, "a scheduler thread");
            if (scheduler == null) {
                scheduler = own(Executors.newScheduledThreadPool(1, daemons("jetstream-bridge-scheduler")));
            }
        }
        return scheduler;
    }

    /** For the consumer's long-running fetch loops. */
    public synchronized ThreadFactory threadFactory() {
        if (threadFactory == null) {
            threadFactory = lookup(DEFAULT_THREAD_FACTORY, ThreadFactory.class, "plain daemon threads");
            if (threadFactory == null) {
                threadFactory = daemons("jetstream-bridge-consumer");
            }
        }
        return threadFactory;
    }

    /** Runs the task every {@code interval} (fixed delay) on {@link #scheduler()}; cancel the result to stop. */
    public ScheduledFuture<?> every(Duration interval, Runnable task) {
        long millis = Math.max(1, interval.toMillis());
        return scheduler().scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * The container's object under {@code name}, or null (see {@link ContainerResources}); looked up once per name,
     * as the result is kept, so an operator hears of a failed look-up once.
     */
    private static <T> T lookup(String name, Class<T> type, String fallback) {
        return ContainerResources.orFallback(name, type, fallback).orElse(null);
    }

    private <T extends ExecutorService> T own(T pool) {
        owned.add(pool);
        return pool;
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @PreDestroy
    synchronized void shutdown() {
        for (ExecutorService pool : owned) {
            pool.shutdown();
        }
        for (ExecutorService pool : owned) {
            try {
                pool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
