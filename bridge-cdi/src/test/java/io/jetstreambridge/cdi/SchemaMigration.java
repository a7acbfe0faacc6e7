package io.jetstreambridge.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An application's schema migration at start-up, as Flyway or Liquibase would be run from an
 * {@code @Initialized(ApplicationScoped.class)} observer. It takes a while (up to {@link #DURATION_SECONDS} s), and
 * ends early when an event reaches the application's observers meanwhile, which must not happen.
 */
@ApplicationScoped
public class SchemaMigration {

    static final int DURATION_SECONDS = 3;

    private final CountDownLatch eventHandled = new CountDownLatch(1);
    private volatile boolean done;

    void migrate(@Observes @Initialized(ApplicationScoped.class) Object ignored) throws InterruptedException {
        eventHandled.await(DURATION_SECONDS, TimeUnit.SECONDS);
        done = true;
    }

    boolean done() {
        return done;
    }

    void eventHandled() {
        eventHandled.countDown();
    }
}
