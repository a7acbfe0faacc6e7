package io.jetstreambridge.reliability.app;

import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.outbox.cdi.OutboxMaintenanceService;
import io.jetstreambridge.outbox.cdi.OutboxRuntime;
import io.jetstreambridge.cdi.BridgeEntityManagers;
import io.jetstreambridge.cdi.ConsumerRuntime;
import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.testing.jta.JpaHarness;
import io.jetstreambridge.testing.cdi.JtaContainer;
import io.jetstreambridge.testing.jta.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One application of the fault suite, in a JVM of its own so that the suite can kill it with -9: the same stack as
 * the tests (Weld SE, Narayana, EclipseLink on PostgreSQL, the bridge runtime), started by {@code AppProcess}.
 *
 * <p>System properties: {@code fault.role} = {@code publisher} (outbox on; commits {@code fault.orders} business
 * transactions on {@code fault.threads} threads, at most {@code fault.rate} per second, every
 * {@code fault.rollback-every}-th rolled back, then keeps relaying) or {@code consumer} (inbox on; {@link BenchObserver} writes one row per event);
 * {@code fault.schema} the PostgreSQL schema the suite prepared; every {@code jetstream.bridge.*} property is the
 * bridge's configuration. Orders whose index modulo {@code fault.poison-every} is 1 or 2 ask the observer to
 * throw always, or to throw the "never retry" exception; those whose index modulo {@code fault.overflow-every} is 1
 * ask it to recurse until {@link StackOverflowError}, and those whose index modulo {@code fault.slow-every} is 0 to
 * take {@code fault.slow-millis} (F13, F14). With {@code fault.go-file} and {@code fault.stop-file} (the scaling
 * run) the writers start once the first file exists and stop once the second does, whatever {@code fault.orders}
 * says. A consumer with {@code fault.report-workers} prints how many of its worker threads are alive every second
 * ({@code FAULT-APP workers alive N}).
 */
public final class FaultApp {

    private FaultApp() {
    }

    public static void main(String[] args) throws Exception {
        String role = required("fault.role");
        TestDatabase database = TestDatabase.existingPostgresSchema(required("fault.schema"));
        JpaHarness jpa = JpaHarness.builder().database(database).keepDatabase()
                .entities(OutboxEvent.class, InboxEvent.class, BenchOrder.class, Observed.class).start();
        JtaContainer.Builder container = JtaContainer.builder().jpa(jpa).withBridgeRuntime()
                .config(bridgeSettings());
        if ("publisher".equals(role)) {
            container.beanClasses(OutboxRuntime.class, OutboxMaintenanceService.class, BridgeEntityManagers.class,
                    BenchOrderService.class);
        } else {
            container.beanClasses(ConsumerRuntime.class, BridgeEntityManagers.class, BenchObserver.class);
        }
        JtaContainer app = container.start();
        System.out.println("FAULT-APP started " + role);
        if ("publisher".equals(role)) {
            publish(app.select(BenchOrderService.class), database);
        } else if (Boolean.getBoolean("fault.report-workers")) {
            reportWorkers(System.getProperty(ConfigKey.APP_NAME.fullName()) + "-workers-");
        }
        new CountDownLatch(1).await(); // runs until the suite stops or kills it
    }

    private static void publish(BenchOrderService service, TestDatabase database) throws InterruptedException {
        int orders = Integer.getInteger("fault.orders", 0);
        int threads = Integer.getInteger("fault.threads", 4);
        int rollbackEvery = Integer.getInteger("fault.rollback-every", 10);
        int poisonEvery = Integer.getInteger("fault.poison-every", 0);
        int overflowEvery = Integer.getInteger("fault.overflow-every", 0);
        int slowEvery = Integer.getInteger("fault.slow-every", 0);
        String prefix = System.getProperty("fault.prefix", "order");
        // business transactions per second over all threads, so that a fault lands while commits still go on
        int rate = Integer.getInteger("fault.rate", 0);
        // the scaling run's closed loop: every publisher starts when the go file appears and stops when the stop
        // file does, so that all instances write together and as fast as they can
        Path go = optionalPath("fault.go-file");
        Path stop = optionalPath("fault.stop-file");
        awaitFile(go);
        long startNanos = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger attempted = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                for (int i = next.getAndIncrement(); i < orders && (stop == null || !Files.exists(stop));
                     i = next.getAndIncrement()) {
                    attempted.incrementAndGet();
                    if (rate > 0) {
                        long due = startNanos + i * 1_000_000_000L / rate;
                        for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                            LockSupport.parkNanos(due - now);
                        }
                    }
                    String id = prefix + "-" + i;
                    boolean rollback = rollbackEvery > 0 && i % rollbackEvery == rollbackEvery - 1;
                    String behaviour = poisonEvery > 0 && i % poisonEvery == 1 ? "throw"
                            : poisonEvery > 0 && i % poisonEvery == 2 ? "unrecoverable"
                            : overflowEvery > 0 && i % overflowEvery == 1 ? "stack-overflow"
                            : slowEvery > 0 && i % slowEvery == 0 ? "slow" : "ok";
                    try {
                        service.create(id, behaviour, 0, rollback);
                    } catch (BenchOrderService.BusinessRollback expected) {
                        recordRollback(database, id);
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                        System.out.println("FAULT-APP business transaction " + id + " failed: " + e);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        System.out.println("FAULT-APP published " + attempted.get() + " business transactions, " + failures.get()
                + " failed");
    }

    private static Path optionalPath(String property) {
        String value = System.getProperty(property);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    private static void awaitFile(Path file) {
        while (file != null && !Files.exists(file)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Every second, how many worker threads of the consumer are alive (they are named {@code {durable}-{i}}). */
    private static void reportWorkers(String namePrefix) {
        Thread reporter = new Thread(() -> {
            while (true) {
                long alive = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.isAlive() && t.getName().startsWith(namePrefix)).count();
                System.out.println("FAULT-APP workers alive " + alive);
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        }, "fault-worker-report");
        reporter.setDaemon(true);
        reporter.start();
    }

    private static void recordRollback(TestDatabase database, String id) {
        try (Connection connection = database.openConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO bench_rollbacks (id) VALUES (?)")) {
            insert.setString(1, id);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the rollback of " + id, e);
        }
    }

    private static Map<String, String> bridgeSettings() {
        Map<String, String> settings = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(ConfigKey.PREFIX))
                .forEach(name -> settings.put(name, System.getProperty(name)));
        return settings;
    }

    private static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("system property " + name + " is required");
        }
        return value;
    }
}
