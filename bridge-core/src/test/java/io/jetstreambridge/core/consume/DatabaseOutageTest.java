package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jetstreambridge.testing.fakes.FakeEngine;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** How a failure is told to be the consumer's database not answering, and how the wait for it ends. */
class DatabaseOutageTest {

    private final AtomicBoolean answers = new AtomicBoolean(true);
    private final AtomicInteger probes = new AtomicInteger();
    private final DatabaseOutage outage = new DatabaseOutage("orders-workers", () -> {
        probes.incrementAndGet();
        return answers.get() ? Optional.empty() : Optional.of(new SQLException("refused", "08001"));
    }, Duration.ofMillis(50));

    @Test
    void aConnectionFailureIsAnOutageOnlyWhenTheProbeFindsTheDatabaseSilent() {
        PersistenceException lost = new PersistenceException("insert failed",
                new SQLTransientConnectionException("connection attempt failed", "08001"));

        assertThat(outage.confirms(lost)).isFalse(); // the database answers: an observer's own problem
        answers.set(false);
        assertThat(outage.confirms(lost)).isTrue();
        assertThat(outage.current()).get().extracting(Throwable::getMessage).isEqualTo("refused");
        assertThat(outage.confirms(new RollbackException("commit failed"))).isTrue();
    }

    @Test
    void anObserversOwnExceptionIsNeverAnOutageAndCostsNoProbe() {
        answers.set(false);

        assertThat(outage.confirms(new IllegalStateException("invoice service unavailable"))).isFalse();
        assertThat(outage.confirms(new StackOverflowError())).isFalse();
        assertThat(probes).hasValue(0);
        assertThat(outage.current()).isEmpty();
    }

    @Test
    void waitersReturnOnceTheProbeAnswersAndAtOnceWithoutAnOutage() {
        assertThat(outage.awaitRecovery(() -> true)).isTrue();
        answers.set(false);
        outage.confirms(new SQLException("gone", "08006"));
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> outage.awaitRecovery(() -> true));

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
        assertThat(probes.get()).isBetween(2, 12); // at most one per interval, however many wait
        answers.set(true);

        await().atMost(Duration.ofSeconds(2)).until(waiting::isDone);
        assertThat(waiting.join()).isTrue();
        assertThat(outage.current()).isEmpty();
    }

    @Test
    void healthSeesTheEngineWaitingWithWhyAndTheRecoveryAsActivity() {
        Instant fetchedLongAgo = Instant.now().minusSeconds(600);
        ConsumerEngine running = FakeEngine.activeAt(fetchedLongAgo);
        ConsumerEngine reported = outage.reportedOn(running);
        answers.set(false);
        outage.confirms(new SQLException("gone", "08006"));

        assertThat(reported.state()).isEqualTo(ConsumerEngine.State.WAITING_FOR_DATABASE);
        assertThat(reported.lastError()).get().extracting(Throwable::getMessage).isEqualTo("refused");
        assertThat(reported.lastActivity()).contains(fetchedLongAgo);

        answers.set(true);
        assertThat(outage.awaitRecovery(() -> true)).isTrue();
        assertThat(reported.state()).isEqualTo(ConsumerEngine.State.RUNNING);
        assertThat(reported.lastError()).isEmpty();
        assertThat(reported.lastActivity()).get().matches(at -> at.isAfter(Instant.now().minusSeconds(5)));
    }

    @Test
    void closingEndsTheWaitWithoutRecovery() {
        answers.set(false);
        outage.confirms(new SQLException("gone", "08006"));
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> outage.awaitRecovery(() -> true));

        outage.close();

        await().atMost(Duration.ofSeconds(2)).until(waiting::isDone);
        assertThat(waiting.join()).isFalse();
    }

    @Test
    void withoutAProbeNothingIsAnOutage() {
        assertThat(DatabaseOutage.none().confirms(new SQLException("gone", "08006"))).isFalse();
    }
}
