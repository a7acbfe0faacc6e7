package io.jetstreambridge.cdi;

import io.jetstreambridge.consume.JetstreamEvent;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * What the consumer docs show: a plain CDI interceptor around observer methods, here recording each event id,
 * its delivery and whether the observer threw. The Ruby gem's middleware chain, done the Jakarta EE way.
 */
@Audited
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class AuditInterceptor {

    @Inject
    AuditLog log;

    @AroundInvoke
    Object audit(InvocationContext invocation) throws Exception {
        JetstreamEvent event = (JetstreamEvent) invocation.getParameters()[0];
        try {
            Object result = invocation.proceed();
            log.record(event.eventId() + "#" + event.deliveryCount() + " ok");
            return result;
        } catch (Exception e) {
            log.record(event.eventId() + "#" + event.deliveryCount() + " failed: " + e.getMessage());
            throw e;
        }
    }
}
