package io.jetstreambridge.cdi;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Where the test interceptor writes. */
@ApplicationScoped
public class AuditLog {

    private final Queue<String> entries = new ConcurrentLinkedQueue<>();

    void record(String entry) {
        entries.add(entry);
    }

    List<String> entries() {
        return List.copyOf(entries);
    }
}
