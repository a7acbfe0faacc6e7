package io.jetstreambridge.outbox.cdi;

import io.jetstreambridge.publish.PublishResult;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import java.util.concurrent.atomic.AtomicReference;

/**
 * An application that publishes at start-up, in a transaction of its own, before the bridge's own start-up
 * observers have run (a lower priority runs first).
 */
@ApplicationScoped
public class EarlyOrders {

    /** What the start-up publish returned or threw. */
    static final AtomicReference<Object> OUTCOME = new AtomicReference<>();

    @Inject
    OrderService orders;

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) @Initialized(ApplicationScoped.class)
                 Object ignored) {
        try {
            PublishResult result = orders.create("E-1", false);
            OUTCOME.set(result);
        } catch (RuntimeException e) {
            OUTCOME.set(e);
        }
    }
}
