package io.jetstreambridge.testing.jta;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records transactional observer notifications, the way an outbox relay would be triggered after commit. */
@ApplicationScoped
public class HarnessItemObserver {

    private final List<String> committed = new CopyOnWriteArrayList<>();
    private final List<String> failed = new CopyOnWriteArrayList<>();

    void afterSuccess(@Observes(during = TransactionPhase.AFTER_SUCCESS) HarnessItemService.Created event) {
        committed.add(event.code());
    }

    void afterFailure(@Observes(during = TransactionPhase.AFTER_FAILURE) HarnessItemService.Created event) {
        failed.add(event.code());
    }

    public List<String> committed() {
        return List.copyOf(committed);
    }

    public List<String> failed() {
        return List.copyOf(failed);
    }

    public void reset() {
        committed.clear();
        failed.clear();
    }
}
