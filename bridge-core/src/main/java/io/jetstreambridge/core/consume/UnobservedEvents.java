package io.jetstreambridge.core.consume;

import io.jetstreambridge.config.ConsumerSettings;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.core.telemetry.BridgeTelemetry;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What happens to an event no observer matches (a typo in {@code @EventType} would otherwise lose events without a
 * trace): counted every time, logged once per pair of event and resource type, then acked (returns) or
 * dead-lettered as {@code no_observer} (throws {@link NoObserverException}), as {@code consumer.unobserved-events}
 * says. At most {@link #MAX_LOGGED} pairs are remembered, so ever new types cannot grow memory; beyond that they
 * are counted, not logged.
 */
public final class UnobservedEvents {

    static final int MAX_LOGGED = 1024;

    private record Types(String eventType, String resourceType) {
    }

    private final ConsumerSettings.UnobservedEvents mode;
    private final BridgeTelemetry telemetry;
    private final Map<Types, Boolean> logged = new ConcurrentHashMap<>();

    public UnobservedEvents(ConsumerSettings.UnobservedEvents mode, BridgeTelemetry telemetry) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    public void handle(JetstreamEvent event) {
        telemetry.unobserved(event);
        Types types = new Types(event.eventType(), event.resourceType());
        if (logged.size() < MAX_LOGGED && logged.putIfAbsent(types, Boolean.TRUE) == null) {
            BridgeLog.noObserver(types.eventType(), types.resourceType(), event.eventId(),
                    mode == ConsumerSettings.UnobservedEvents.ACK ? "acked" : "dead-lettered (no_observer)");
        }
        if (mode == ConsumerSettings.UnobservedEvents.DEAD_LETTER) {
            throw new NoObserverException(types.eventType(), types.resourceType());
        }
    }
}
