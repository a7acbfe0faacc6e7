package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.consume.UnrecoverableEventException;
import io.jetstreambridge.testing.fakes.FakeMessage;
import io.jetstreambridge.testing.fakes.FakeTransactions;
import io.jetstreambridge.testing.fakes.Journal;
import io.jetstreambridge.testing.fakes.RecordingJetStream;
import io.nats.client.Message;
import jakarta.transaction.RollbackException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link TransactionalDelivery} under a {@link MessageProcessor}, on fake transactions and a fake message sharing
 * one journal: the message is acked only after the commit, nak'ed after a rollback, and the failure reaches the
 * classification as the observers (or the commit) threw it.
 */
class TransactionalDeliveryTest {

    private static final Duration PROCESSING_TIMEOUT = Duration.ofSeconds(30);

    private final Journal journal = new Journal();
    private final FakeTransactions transactions = new FakeTransactions(journal);
    private final RecordingJetStream dlq = new RecordingJetStream(journal);

    private MessageProcessor processor(Consumer<JetstreamEvent> observers, Set<String> unrecoverable) {
        TransactionalDelivery delivery = TransactionalDelivery.builder()
                .transactions(transactions)
                .observers(event -> {
                    journal.add("observers " + event.eventId());
                    observers.accept(event);
                })
                .processingTimeout(PROCESSING_TIMEOUT)
                .build();
        return MessageProcessorTest.processor(MessageProcessorTest.TOPOLOGY, dlq, delivery, unrecoverable).build();
    }

    @Test
    void theMessageIsAckedOnlyAfterTheCommit() {
        processor(event -> { }, Set.of()).process(FakeMessage.event(7, 1, journal));

        assertThat(journal.entries()).containsExactly("begin", "observers e-7", "commit", "ack 7");
        assertThat(transactions.lastTimeout()).isEqualTo(PROCESSING_TIMEOUT);
    }

    @Test
    void failingObserversRollBackAndTheMessageIsNakedAfterwards() {
        processor(event -> {
            throw new IllegalStateException("observer failed");
        }, Set.of()).process(FakeMessage.event(7, 1, journal));

        assertThat(journal.entries()).containsExactly("begin", "observers e-7", "rollback", "nak 7 PT1S");
    }

    @Test
    void theFailureIsClassifiedAfterTheRollback() {
        processor(event -> {
            throw new UnrecoverableEventException("never valid");
        }, Set.of()).process(FakeMessage.event(7, 1, journal));

        assertThat(journal.entries()).containsExactly("begin", "observers e-7", "rollback",
                "publish orders.sync.dlq", "ack 7");
        assertThat(MessageProcessorTest.reasonOf(dlq.published().get(0))).isEqualTo("unrecoverable");
    }

    @Test
    void aCommitThatFailsIsNakedAndItsExceptionReachesTheClassifierUnwrapped() {
        transactions.commitFails(new RollbackException("timed out, rolled back"));

        // listed as unrecoverable: dead-lettered only if the classifier sees the RollbackException itself
        processor(event -> { }, Set.of(RollbackException.class.getName()))
                .process(FakeMessage.event(7, 1, journal));

        assertThat(journal.entries()).containsExactly("begin", "observers e-7", "commit failed", "rollback",
                "publish orders.sync.dlq", "ack 7");
    }

    @Test
    void aBatchIsOneTransactionAndEveryMessageIsAckedAfterItsCommit() {
        List<Message> batch = List.of(FakeMessage.event(1, 1, journal), FakeMessage.event(2, 1, journal));

        processor(event -> { }, Set.of()).processAll(batch, () -> true);

        assertThat(journal.entries()).containsExactly("begin", "observers e-1", "observers e-2", "commit",
                "ack 1", "ack 2");
    }

    @Test
    void aFailingBatchRollsBackAndEachEventIsTriedInATransactionOfItsOwn() {
        List<Message> batch = List.of(FakeMessage.event(1, 1, journal), FakeMessage.event(2, 1, journal));

        processor(event -> {
            if (event.eventId().equals("e-2")) {
                throw new IllegalStateException("poison");
            }
        }, Set.of()).processAll(batch, () -> true);

        assertThat(journal.entries()).containsExactly(
                "begin", "observers e-1", "observers e-2", "rollback",
                "begin", "observers e-1", "commit", "ack 1",
                "begin", "observers e-2", "rollback", "nak 2 PT1S");
    }

    @Test
    void aBuilderMissingCollaboratorsNamesThemAllAtOnce() {
        assertThatIllegalStateException().isThrownBy(() -> TransactionalDelivery.builder().build())
                .withMessageContaining("transactions").withMessageContaining("observers")
                .withMessageContaining("processingTimeout");
    }
}
