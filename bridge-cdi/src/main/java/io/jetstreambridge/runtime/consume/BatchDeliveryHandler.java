package io.jetstreambridge.runtime.consume;

import io.jetstreambridge.consume.JetstreamEvent;

import java.util.List;

/**
 * A {@link DeliveryHandler} that can also take several events in one unit of work (one transaction for a fetched
 * batch). Returning means every event is done, ack them all; throwing means none is: the caller then hands them
 * over one by one, so a failing event does not hold back its neighbours.
 */
public interface BatchDeliveryHandler extends DeliveryHandler {

    void handleAll(List<JetstreamEvent> events) throws Exception;
}
