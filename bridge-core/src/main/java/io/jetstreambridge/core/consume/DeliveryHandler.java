package io.jetstreambridge.core.consume;

import io.jetstreambridge.consume.JetstreamEvent;

/**
 * The unit of work for one received event: in a container it begins a transaction, records the event id in the
 * inbox, fires the CDI event and commits. Returning means "done, ack it"; throwing means "not done".
 */
@FunctionalInterface
public interface DeliveryHandler {

    void handle(JetstreamEvent event) throws Exception;
}
