package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.consume.UnrecoverableEventException;
import io.jetstreambridge.core.deadletter.DeadLetterHeaders;
import io.jetstreambridge.core.deadletter.DeadLetterPublisher;
import io.jetstreambridge.core.inbox.InboxConflictException;
import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.testing.fakes.FakeMessage;
import io.jetstreambridge.testing.fakes.Journal;
import io.jetstreambridge.testing.fakes.ManualScheduler;
import io.jetstreambridge.testing.fakes.RecordingJetStream;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Message;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link MessageProcessor} without a server: a fake message records its acks in a journal, a recording JetStream
 * takes the dead letters. Pins what happens to a message for each outcome of its handler.
 */
class MessageProcessorTest {

    static final Topology TOPOLOGY = new Topology(FakeMessage.STREAM, "orders", "billing", true, null, null);
    static final Topology WITHOUT_DLQ = new Topology(FakeMessage.STREAM, "orders", "billing", false, null, null);
    static final int MAX_DELIVER = 3;

    private final Journal journal = new Journal();
    private final RecordingJetStream dlq = new RecordingJetStream(journal);
    private final List<JetstreamEvent> handled = new CopyOnWriteArrayList<>();

    static MessageProcessor.Builder processor(Topology topology, RecordingJetStream dlq, DeliveryHandler handler,
                                              Set<String> unrecoverable) {
        JsonProvider json = JsonProvider.provider();
        return MessageProcessor.builder()
                .topology(topology)
                .codec(new EnvelopeCodec(json))
                .handler(handler)
                .classifier(new FailureClassifier(MAX_DELIVER, List.of(), unrecoverable))
                .deadLetters(new DeadLetterPublisher(dlq.jetStream(), topology, json, Clock.systemUTC()))
                .payloadReader((payload, type) -> payload.toString())
                // the scheduler never runs: no in-progress ack is sent in these tests
                .keepAlive(new KeepAlive(new ManualScheduler(), Duration.ofSeconds(30), Duration.ofSeconds(30)));
    }

    private MessageProcessor processor(DeliveryHandler handler) {
        return processor(TOPOLOGY, dlq, event -> {
            handled.add(event);
            journal.add("handle " + event.eventId());
            handler.handle(event);
        }, Set.of()).build();
    }

    @Test
    void decodesTheEnvelopeHandsTheEventOverAndAcksAfterwards() {
        FakeMessage message = FakeMessage.event(7, 1, journal);

        processor(event -> { }).process(message);

        assertThat(journal.entries()).containsExactly("handle e-7", "ack 7");
        JetstreamEvent event = handled.get(0);
        assertThat(event.eventType()).isEqualTo("invoice.created");
        assertThat(event.streamSequence()).isEqualTo(7);
        assertThat(event.deliveryCount()).isEqualTo(1);
        assertThat(event.subject()).isEqualTo(FakeMessage.SUBJECT);
        assertThat(event.payload().toString()).isEqualTo("{\"id\":7}");
    }

    @Test
    void aFailingHandlerGetsTheMessageNakedWithTheDelayOfItsDelivery() {
        processor(event -> {
            throw new IllegalStateException("database busy");
        }).process(FakeMessage.event(7, 2, journal));

        assertThat(journal.entries()).containsExactly("handle e-7", "nak 7 PT2S");
        assertThat(dlq.published()).isEmpty();
    }

    @Test
    void anErrorOfTheHandlerIsAFailureOfTheMessageNotOfTheCaller() {
        processor(event -> {
            throw new StackOverflowError();
        }).process(FakeMessage.event(7, 1, journal));

        assertThat(journal.entries()).containsExactly("handle e-7", "nak 7 PT1S");
    }

    @Test
    void anUnrecoverableFailureIsDeadLetteredAtOnceThenAcked() {
        processor(event -> {
            throw new UnrecoverableEventException("never valid");
        }).process(FakeMessage.event(7, 1, journal));

        assertThat(journal.entries()).containsExactly("handle e-7", "publish orders.sync.dlq", "ack 7");
        assertThat(reasonOf(dlq.published().get(0))).isEqualTo("unrecoverable");
    }

    @Test
    void theLastAllowedDeliveryIsDeadLettered() {
        processor(event -> {
            throw new IllegalStateException("still failing");
        }).process(FakeMessage.event(7, MAX_DELIVER, journal));

        assertThat(journal.entries()).containsExactly("handle e-7", "publish orders.sync.dlq", "ack 7");
        assertThat(reasonOf(dlq.published().get(0))).isEqualTo("max_deliver_exceeded");
    }

    @Test
    void aBodyThatIsNoEnvelopeIsDeadLetteredWithoutCallingTheHandler() {
        processor(event -> { }).process(FakeMessage.delivered(7, 1, "not json", journal));

        assertThat(handled).isEmpty();
        assertThat(journal.entries()).containsExactly("publish orders.sync.dlq", "ack 7");
        assertThat(reasonOf(dlq.published().get(0))).isEqualTo("malformed_json");
    }

    @Test
    void aDeadLetterThatCannotBeStoredLeadsToANakNeverAnAck() {
        dlq.publishFails(new IllegalStateException("DLQ subject not in the stream"));

        processor(event -> {
            throw new UnrecoverableEventException("never valid");
        }).process(FakeMessage.event(7, 1, journal));

        assertThat(journal.entries()).containsExactly("handle e-7", "publish failed orders.sync.dlq", "nak 7 PT1S");
    }

    @Test
    void withoutADeadLetterQueueWhatWouldBeDeadLetteredIsTerminated() {
        processor(WITHOUT_DLQ, dlq, event -> {
            throw new UnrecoverableEventException("never valid");
        }, Set.of()).build().process(FakeMessage.event(7, 1, journal));

        assertThat(journal.entries()).containsExactly("term 7");
        assertThat(dlq.published()).isEmpty();
    }

    @Test
    void anInboxConflictIsHandedBackSoonAndNeverDeadLettered() {
        processor(event -> {
            throw new InboxConflictException(event.eventId(), null);
        }).process(FakeMessage.event(7, MAX_DELIVER, journal));

        assertThat(journal.entries()).containsExactly("handle e-7", "nak 7 " + InboxConflictException.RETRY_DELAY);
    }

    @Test
    void aBatchStoppedBeforeItsTurnNaksWhatWasNotStarted() {
        List<Message> batch = List.of(FakeMessage.event(1, 1, journal), FakeMessage.event(2, 1, journal));

        processor(event -> { }).processAll(batch, () -> false);

        assertThat(journal.entries()).containsExactly("nak 1", "nak 2");
        assertThat(handled).isEmpty();
    }

    @Test
    void aBatchIsHandledInOrderEachAckedAfterItsOwnHandling() {
        List<Message> batch = List.of(FakeMessage.event(1, 1, journal), FakeMessage.event(2, 1, journal));

        processor(event -> { }).processAll(batch, () -> true);

        assertThat(journal.entries()).containsExactly("handle e-1", "ack 1", "handle e-2", "ack 2");
    }

    @Test
    void aBuilderMissingCollaboratorsNamesThemAllAtOnce() {
        assertThatIllegalStateException().isThrownBy(() -> MessageProcessor.builder()
                        .topology(TOPOLOGY).build())
                .withMessageContaining("MessageProcessor cannot be built")
                .withMessageContaining("codec").withMessageContaining("handler")
                .withMessageContaining("classifier").withMessageContaining("deadLetters")
                .withMessageContaining("payloadReader").withMessageContaining("keepAlive")
                .withMessageNotContaining("topology");
    }

    static String reasonOf(Message deadLetter) {
        assertThat(deadLetter.getSubject()).isEqualTo("orders.sync.dlq");
        return deadLetter.getHeaders().getFirst(DeadLetterHeaders.REASON);
    }
}
