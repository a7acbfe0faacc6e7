package io.jetstreambridge.core.consume;

import io.jetstreambridge.consume.JetstreamEvent;

import io.jetstreambridge.core.telemetry.ProcessObservation;

import java.util.List;
import java.util.function.Function;

/**
 * A {@link DeliveryHandler} that can also take several events in one unit of work (one transaction for a fetched
 * batch). Returning means every event is done, ack them all; throwing means none is: the caller then hands them
 * over one by one, so a failing event does not hold back its neighbours.
 */
public interface BatchDeliveryHandler extends DeliveryHandler {

    /**
     * @param current makes an event's observation current while its observers run (each event keeps its own trace
     *                inside the one transaction)
     */
    void handleAll(List<JetstreamEvent> events, Function<JetstreamEvent, ProcessObservation.Current> current)
            throws Exception;
}
