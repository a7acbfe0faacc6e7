package io.jetstreambridge.cdi;

import io.jetstreambridge.consume.JetstreamEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Records, per event, whether the application's start-up migration had finished when the event was handled. */
@ApplicationScoped
public class MigratedSchemaObserver {

    @Inject
    SchemaMigration migration;

    private final Map<String, Boolean> migratedWhenHandled = new ConcurrentHashMap<>();

    void on(@Observes JetstreamEvent event) {
        migratedWhenHandled.put(event.eventId(), migration.done());
        migration.eventHandled();
    }

    Map<String, Boolean> migratedWhenHandled() {
        return migratedWhenHandled;
    }
}
