package io.jetstreambridge.core.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.consume.UnrecoverableEventException;
import io.jetstreambridge.envelope.WireHeaders;
import io.jetstreambridge.core.connection.NatsConnector;
import io.jetstreambridge.core.consume.DeadLetterPublisher;
import io.jetstreambridge.core.consume.DeadLetterReason;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.testing.NatsServerExtension;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.LongStream;

/** The dead-letter engine without a container, against a real nats-server. */
class DeadLetterQueueTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T08:00:00Z"), ZoneOffset.UTC);

    private Connection connection;
    private JetStreamManagement jsm;
    private Topology topology;
    private DeadLetterPublisher deadLetters;
    private DeadLetterQueue queue;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        BridgeConfig config = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false").build();
        connection = new NatsConnector(config.nats(), null).connect();
        jsm = connection.jetStreamManagement();
        new StreamProvisioner(jsm, config).provision();
        topology = config.topology();
        JsonProvider json = JsonProvider.provider();
        deadLetters = new DeadLetterPublisher(connection.jetStream(), topology, json, CLOCK);
        queue = new DeadLetterQueue(jsm, topology, json, CLOCK);
    }

    @AfterEach
    void tearDown() throws Exception {
        connection.close();
    }

    /** A message as it arrived on the consume subject, then copied to the DLQ as the consumer does. */
    private long deadLetter(String eventId, byte[] body, DeadLetterReason reason, Throwable error) throws Exception {
        Headers headers = new Headers().add("nats-msg-id", eventId).add("x-tenant", "acme");
        NatsMessage original = NatsMessage.builder().subject(topology.consumeSubject()).headers(headers).data(body)
                .build();
        deadLetters.publish(original, eventId, reason, error, 3, 42);
        return jsm.getLastMessage(topology.stream(), topology.dlqSubject()).getSeq();
    }

    private static byte[] envelope(String eventId) {
        return ("{\"event_id\":\"" + eventId + "\",\"schema_version\":1,\"event_type\":\"invoice.created\","
                + "\"producer\":\"billing\",\"payload\":{\"id\":\"INV-1\",\"total\":\"12.50\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void inspectShowsReasonContextHeadersAndTheBodyByteForByte() throws Exception {
        byte[] body = envelope("ev-1");
        long seq = deadLetter("ev-1", body, DeadLetterReason.UNRECOVERABLE,
                new UnrecoverableEventException("customer unknown"));

        DeadLetter letter = queue.inspect(seq).orElseThrow();

        assertThat(letter.sequence()).isEqualTo(seq);
        assertThat(letter.subject()).isEqualTo("orders.sync.dlq");
        assertThat(letter.eventId()).isEqualTo("ev-1");
        assertThat(letter.reason()).isEqualTo("unrecoverable");
        assertThat(letter.deliveries()).isEqualTo(3);
        assertThat(letter.body()).isEqualTo(body);
        assertThat(letter.isReplayed()).isFalse();
        assertThat(letter.storedAt()).isAfter(Instant.now().minusSeconds(60));
        assertThat(WireHeaders.header(letter.headers(), "x-tenant")).contains("acme");
        DeadLetterContext context = letter.context();
        assertThat(context.eventId()).isEqualTo("ev-1");
        assertThat(context.reason()).isEqualTo("unrecoverable");
        assertThat(context.errorClass()).isEqualTo(UnrecoverableEventException.class.getName());
        assertThat(context.errorMessage()).isEqualTo("customer unknown");
        assertThat(context.deliveries()).isEqualTo(3);
        assertThat(context.originalSubject()).isEqualTo("billing.sync.orders");
        assertThat(context.sequence()).isEqualTo(42);
        assertThat(context.consumer()).isEqualTo("orders-workers");
        assertThat(context.stream()).isEqualTo("jetstream-bridge-stream");
        assertThat(context.publishedAt()).isEqualTo("2026-11-27T08:00:00Z");
        assertThat(queue.count()).isEqualTo(1);
    }

    @Test
    void listPagesThroughTheDeadLettersOnlyAndInspectIgnoresOtherSubjects() throws Exception {
        List<Long> sequences = LongStream.range(0, 5).mapToObj(i -> {
            try {
                connection.jetStream().publish(topology.publishSubject(), envelope("other-" + i));
                return deadLetter("ev-" + i, envelope("ev-" + i), DeadLetterReason.MAX_DELIVER_EXCEEDED,
                        new IllegalStateException("down"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();

        DeadLetterPage first = queue.list(0, 2);
        DeadLetterPage second = queue.list(first.nextSequence(), 2);
        DeadLetterPage last = queue.list(second.nextSequence(), 2);

        assertThat(first.entries()).extracting(DeadLetter::sequence).containsExactlyElementsOf(sequences.subList(0, 2));
        assertThat(first.hasMore()).isTrue();
        assertThat(second.entries()).extracting(DeadLetter::eventId).containsExactly("ev-2", "ev-3");
        assertThat(last.entries()).extracting(DeadLetter::eventId).containsExactly("ev-4");
        assertThat(last.hasMore()).isFalse();
        assertThat(queue.list(1, 1000).entries()).hasSize(5).allMatch(l -> l.subject().equals("orders.sync.dlq"));
        assertThat(queue.count()).isEqualTo(5);

        long notADeadLetter = sequences.get(0) - 1;
        assertThat(jsm.getMessage(topology.stream(), notADeadLetter).getSubject()).isEqualTo("orders.sync.billing");
        assertThat(queue.inspect(notADeadLetter)).isEmpty();
        assertThat(queue.purge(notADeadLetter)).isFalse();
        assertThat(jsm.getMessage(topology.stream(), notADeadLetter).getSubject()).isEqualTo("orders.sync.billing");
        assertThatThrownBy(() -> queue.replay(notADeadLetter)).isInstanceOf(DeadLetterNotFoundException.class)
                .hasMessageContaining("no dead letter at sequence " + notADeadLetter);
        assertThatThrownBy(() -> queue.list(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit must be 1 to 1000, was 0");
    }

    @Test
    void replayRepublishesToTheOriginalSubjectWithAFreshIdAndRecordsIt() throws Exception {
        byte[] body = envelope("ev-7");
        long seq = deadLetter("ev-7", body, DeadLetterReason.UNRECOVERABLE, new IllegalStateException("bug"));

        ReplayResult result = queue.replay(seq);

        assertThat(result.dlqSequence()).isEqualTo(seq);
        assertThat(result.eventId()).isEqualTo("ev-7");
        assertThat(result.messageId()).isEqualTo("ev-7:replay:" + seq);
        assertThat(result.subject()).isEqualTo("billing.sync.orders");
        assertThat(result.duplicate()).isFalse();
        MessageInfo replayed = jsm.getMessage(topology.stream(), result.streamSequence());
        assertThat(replayed.getSubject()).isEqualTo("billing.sync.orders");
        assertThat(replayed.getData()).isEqualTo(body);
        Headers headers = replayed.getHeaders();
        assertThat(headers.getFirst("Nats-Msg-Id")).isEqualTo("ev-7:replay:" + seq);
        assertThat(headers.getFirst("x-replay-of-event-id")).isEqualTo("ev-7");
        assertThat(headers.getFirst("x-replay-of-dlq-sequence")).isEqualTo(String.valueOf(seq));
        assertThat(headers.getFirst("x-replayed-at")).isEqualTo("2026-11-27T08:00:00Z");
        assertThat(headers.getFirst("x-tenant")).isEqualTo("acme");
        assertThat(headers.keySet()).noneMatch(k -> k.startsWith("x-dlq") || k.equals("x-dead-letter")
                || k.equals("x-deliveries") || k.equalsIgnoreCase("nats-msg-id") && !k.equals("Nats-Msg-Id"));

        // the entry is replaced by its record, which a second replay refuses
        assertThat(queue.inspect(seq)).isEmpty();
        assertThat(queue.count()).isEqualTo(1);
        DeadLetter record = queue.inspect(result.recordSequence()).orElseThrow();
        assertThat(record.body()).isEqualTo(body);
        assertThat(record.reason()).isEqualTo("unrecoverable");
        assertThat(record.eventId()).isEqualTo("ev-7");
        assertThat(record.replay()).contains(new ReplayRecord(Instant.parse("2026-11-27T08:00:00Z"),
                "ev-7:replay:" + seq, "billing.sync.orders", result.streamSequence(), seq));
        assertThatThrownBy(() -> queue.replay(result.recordSequence()))
                .isInstanceOf(DeadLetterAlreadyReplayedException.class)
                .hasMessageContaining("was replayed at 2026-11-27T08:00:00Z as ev-7:replay:" + seq);
        assertThatThrownBy(() -> queue.replay(seq)).isInstanceOf(DeadLetterNotFoundException.class);
        assertThat(jsm.getStreamInfo(topology.stream()).getStreamState().getMsgCount())
                .as("replayed message + record").isEqualTo(2);
    }

    @Test
    void aMalformedBodyIsReplayedByteForByte() throws Exception {
        byte[] body = {'{', 'n', 'o', 't', ' ', (byte) 0xC3, (byte) 0x28};
        long seq = deadLetter("seq:9", body, DeadLetterReason.MALFORMED_JSON, new IllegalArgumentException("x"));

        ReplayResult result = queue.replay(seq);

        assertThat(jsm.getMessage(topology.stream(), result.streamSequence()).getData()).isEqualTo(body);
        assertThat(result.messageId()).isEqualTo("seq:9:replay:" + seq);
    }

    @Test
    void aReplayThatFailsAgainIsReplayedUnderTheFirstEventIdNotAGrowingOne() throws Exception {
        long first = deadLetter("ev-3", envelope("ev-3"), DeadLetterReason.UNRECOVERABLE, null);
        ReplayResult replay = queue.replay(first);
        // the consumer dead-letters the replayed message again, with the headers it carried
        MessageInfo replayed = jsm.getMessage(topology.stream(), replay.streamSequence());
        NatsMessage again = NatsMessage.builder().subject(replayed.getSubject()).headers(replayed.getHeaders())
                .data(replayed.getData()).build();
        deadLetters.publish(again, replay.messageId(), DeadLetterReason.UNRECOVERABLE, null, 1,
                replay.streamSequence());
        long second = jsm.getLastMessage(topology.stream(), topology.dlqSubject()).getSeq();
        assertThat(queue.inspect(second).orElseThrow().eventId()).isEqualTo("ev-3:replay:" + first);

        ReplayResult secondReplay = queue.replay(second);

        assertThat(secondReplay.eventId()).isEqualTo("ev-3");
        assertThat(secondReplay.messageId()).isEqualTo("ev-3:replay:" + second);
    }

    @Test
    void bulkReplayTakesWhatMatchesInStreamOrderBoundedByLimitAndSequenceAndNeverTwice() throws Exception {
        long unrecoverable = deadLetter("ev-1", envelope("ev-1"), DeadLetterReason.UNRECOVERABLE,
                new UnrecoverableEventException("customer unknown"));
        long exhausted = deadLetter("ev-2", envelope("ev-2"), DeadLetterReason.MAX_DELIVER_EXCEEDED,
                new IllegalStateException("down"));
        byte[] voidedBody = "{\"event_id\":\"ev-3\",\"event_type\":\"invoice.voided\",\"payload\":{}}"
                .getBytes(StandardCharsets.UTF_8);
        long voided = deadLetter("ev-3", voidedBody, DeadLetterReason.MAX_DELIVER_EXCEEDED,
                new IllegalStateException("down"));
        deadLetter("ev-4", "not json".getBytes(StandardCharsets.UTF_8), DeadLetterReason.MALFORMED_JSON,
                new IllegalArgumentException("not json"));
        long last = deadLetter("ev-5", envelope("ev-5"), DeadLetterReason.MAX_DELIVER_EXCEEDED,
                new IllegalStateException("down"));
        DeadLetterFilter exhaustedOnes = DeadLetterFilter.ALL.withReason("max_deliver_exceeded");

        BulkReplay first = queue.replayMatching(exhaustedOnes, 1, 0, 1);
        assertThat(first.replayed()).extracting(ReplayResult::dlqSequence).containsExactly(exhausted);
        assertThat(first.hasMore()).isTrue();
        assertThat(first.nextSequence()).isEqualTo(voided);
        long through = first.throughSequence();
        assertThat(through).isGreaterThanOrEqualTo(last);
        long later = deadLetter("ev-6", envelope("ev-6"), DeadLetterReason.MAX_DELIVER_EXCEEDED,
                new IllegalStateException("down"));

        BulkReplay rest = queue.replayMatching(exhaustedOnes, first.nextSequence(), through, 100);
        assertThat(rest.replayed()).extracting(ReplayResult::eventId).containsExactly("ev-3", "ev-5");
        assertThat(rest.hasMore()).isFalse();
        assertThat(rest.failed()).isEmpty();
        assertThat(queue.inspect(later)).get().matches(letter -> !letter.isReplayed(),
                "a dead letter stored after the bulk replay began is left for the next one");

        BulkReplay again = queue.replayMatching(exhaustedOnes, 1, 0, 100);
        assertThat(again.replayed()).extracting(ReplayResult::eventId)
                .as("replayed entries are records now: only the later one").containsExactly("ev-6");

        assertThat(queue.replayMatching(DeadLetterFilter.ALL.withEventType("invoice.voided"), 1, 0, 100)
                .replayed()).as("ev-3 is a record now").isEmpty();
        assertThat(queue.replayMatching(DeadLetterFilter.ALL.storedBetween(Instant.now().plusSeconds(3600), null),
                1, 0, 100).replayed()).isEmpty();
        BulkReplay created = queue.replayMatching(DeadLetterFilter.ALL.withEventType("invoice.created")
                .storedBetween(Instant.now().minusSeconds(3600), Instant.now().plusSeconds(60)), 1, 0, 100);
        assertThat(created.replayed()).extracting(ReplayResult::dlqSequence).containsExactly(unrecoverable);

        BulkReplay everything = queue.replayMatching(DeadLetterFilter.ALL, 1, 0, 100);
        assertThat(everything.replayed()).extracting(ReplayResult::eventId).containsExactly("ev-4");
        assertThat(queue.list(1, 100).entries()).allMatch(DeadLetter::isReplayed).hasSize(6);
        MessageInfo onConsumeSubject = jsm.getLastMessage(topology.stream(), topology.consumeSubject());
        assertThat(onConsumeSubject.getHeaders().getFirst(WireHeaders.MSG_ID)).startsWith("ev-4:replay:");
        assertThatThrownBy(() -> queue.replayMatching(DeadLetterFilter.ALL, 1, 0, 1001))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 1000");
    }

    @Test
    void purgeRemovesOneEntryTheReplayedOnesOrAll() throws Exception {
        long a = deadLetter("a", envelope("a"), DeadLetterReason.UNRECOVERABLE, null);
        long b = deadLetter("b", envelope("b"), DeadLetterReason.UNRECOVERABLE, null);
        long c = deadLetter("c", envelope("c"), DeadLetterReason.UNRECOVERABLE, null);
        deadLetter("d", envelope("d"), DeadLetterReason.UNRECOVERABLE, null);

        assertThat(queue.purge(a)).isTrue();
        assertThat(queue.purge(a)).isFalse();
        assertThat(queue.inspect(a)).isEmpty();
        queue.replay(b);
        assertThat(queue.purgeReplayed()).isEqualTo(1);
        assertThat(queue.list(1, 10).entries()).extracting(DeadLetter::eventId).containsExactly("c", "d");
        assertThat(queue.inspect(c)).isPresent();

        assertThat(queue.purgeAll()).isEqualTo(2);
        assertThat(queue.count()).isZero();
        assertThat(queue.list(1, 10).entries()).isEmpty();
        assertThat(jsm.getStreamInfo(topology.stream()).getStreamState().getMsgCount())
                .as("only b's replayed message is left").isEqualTo(1);
    }

    @Test
    void aMissingStreamIsAClearError() throws Exception {
        jsm.deleteStream(topology.stream());

        assertThatThrownBy(() -> queue.list(1, 10)).isInstanceOf(DeadLetterException.class)
                .hasMessageContaining("stream 'jetstream-bridge-stream'").hasMessageContaining("JetStream refused");
        assertThatThrownBy(queue::count).isInstanceOf(DeadLetterException.class)
                .hasMessageContaining("cannot count the dead letters");
    }
}
