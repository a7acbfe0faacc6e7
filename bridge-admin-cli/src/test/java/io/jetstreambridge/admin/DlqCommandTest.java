package io.jetstreambridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.consume.UnrecoverableEventException;
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
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * {@code dlq list | inspect | replay} against a real nats-server, with dead letters written by the consumer's own
 * {@link DeadLetterPublisher}.
 */
class DlqCommandTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    @TempDir
    Path dir;

    private Path config;
    private Connection connection;
    private JetStreamManagement jsm;
    private Topology topology;
    private DeadLetterPublisher deadLetters;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        config = Files.writeString(dir.resolve("orders.properties"), """
                jetstream.bridge.app-name=orders
                jetstream.bridge.destination-app=billing
                jetstream.bridge.nats.urls=%s
                """.formatted(NATS.url()));
        BridgeConfig bridge = BridgeConfig.builder().appName("orders").destinationApp("billing")
                .natsUrls(NATS.url()).set(ConfigKey.CONSUMER_ENABLED, "false").build();
        connection = NATS.connect();
        jsm = connection.jetStreamManagement();
        new StreamProvisioner(jsm, bridge).provision();
        topology = bridge.topology();
        deadLetters = new DeadLetterPublisher(connection.jetStream(), topology, JsonProvider.provider(),
                Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        connection.close();
    }

    private CliRun dlq(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "dlq";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = config.toString();
        return CliRun.of(Map.of(), all);
    }

    /** A message as it arrived on the consume subject, copied to the DLQ as the consumer does. */
    private long deadLetter(String eventId, Throwable error) throws Exception {
        return deadLetter(eventId, DeadLetterReason.UNRECOVERABLE, error);
    }

    private long deadLetter(String eventId, DeadLetterReason reason, Throwable error) throws Exception {
        byte[] body = ("{\"event_id\":\"" + eventId + "\",\"schema_version\":1,\"event_type\":\"invoice.created\","
                + "\"producer\":\"billing\",\"payload\":{\"id\":\"INV-1\"}}").getBytes(StandardCharsets.UTF_8);
        NatsMessage original = NatsMessage.builder().subject(topology.consumeSubject())
                .headers(new Headers().add("Nats-Msg-Id", eventId)).data(body).build();
        deadLetters.publish(original, eventId, reason, error, 2, 7);
        return jsm.getLastMessage(topology.stream(), topology.dlqSubject()).getSeq();
    }

    @Test
    void listShowsEachDeadLetterWithReasonAndErrorAndPages() throws Exception {
        long first = deadLetter("ev-1", new UnrecoverableEventException("customer unknown"));
        long second = deadLetter("ev-2", new IllegalStateException("ledger closed"));

        CliRun all = dlq("list");
        CliRun page = dlq("list", "--limit", "1");

        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(all.out()).startsWith("2 dead letters on orders.sync.dlq (stream jetstream-bridge-stream)")
                .containsPattern(first + " .* ev-1 +unrecoverable +2 +waiting +UnrecoverableEventException: "
                        + "customer unknown")
                .containsPattern(second + " .* ev-2 +unrecoverable +2 +waiting +IllegalStateException: ledger closed");
        assertThat(page.out()).contains("ev-1").doesNotContain("ev-2").contains("more: dlq list --from " + (first + 1));
    }

    @Test
    void inspectShowsContextHeadersAndBody() throws Exception {
        long sequence = deadLetter("ev-3", new UnrecoverableEventException("customer unknown"));

        CliRun run = dlq("inspect", String.valueOf(sequence));
        CliRun missing = dlq("inspect", "999");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("event-id +ev-3").containsPattern("original-subject +billing.sync.orders")
                .containsPattern("consumer +orders-workers").containsPattern("error-message +customer unknown")
                .contains("\"payload\":{\"id\":\"INV-1\"}");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no dead letter at sequence 999");
    }

    @Test
    void replayRepublishesToTheOriginalSubjectOnceAndRefusesASecondTime() throws Exception {
        long sequence = deadLetter("ev-4", new UnrecoverableEventException("customer unknown"));

        CliRun replay = dlq("replay", String.valueOf(sequence));
        CliRun again = dlq("replay", String.valueOf(sequence));

        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.out()).contains("replayed " + sequence + ": event ev-4 as ev-4:replay:" + sequence
                + " to billing.sync.orders").contains("1 of 1 replayed");
        MessageInfo replayed = jsm.getLastMessage(topology.stream(), topology.consumeSubject());
        assertThat(replayed.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("ev-4:replay:" + sequence);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("not replayed " + sequence);
        assertThat(dlq("list").out()).containsPattern("ev-4 .* replayed .* as ev-4:replay:" + sequence);
        assertThat(jsm.getStreamInfo(topology.stream()).getStreamState().getMsgCount())
                .as("the replayed copy and the record of the replay").isEqualTo(2);
    }

    @Test
    void replayAllTakesEveryWaitingEntryAndLeavesRecordsAlone() throws Exception {
        long first = deadLetter("ev-5", new IllegalStateException("down"));
        assertThat(dlq("replay", String.valueOf(first)).exitCode()).isZero();
        deadLetter("ev-6", new IllegalStateException("down"));
        deadLetter("ev-7", new IllegalStateException("down"));

        CliRun run = dlq("replay", "--all");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("event ev-6").contains("event ev-7").doesNotContain("event ev-5")
                .contains("2 of 2 replayed");
        assertThat(dlq("replay", "--all").out()).contains("0 of 0 replayed");
    }

    @Test
    void replayAllWithFiltersTakesOnlyWhatMatchesAndStopsAtTheLimit() throws Exception {
        deadLetter("ev-8", new UnrecoverableEventException("customer unknown"));
        deadLetter("ev-9", DeadLetterReason.MAX_DELIVER_EXCEEDED, new IllegalStateException("database down"));
        deadLetter("ev-10", DeadLetterReason.MAX_DELIVER_EXCEEDED, new IllegalStateException("database down"));

        CliRun one = dlq("replay", "--all", "--reason", "max_deliver_exceeded", "--limit", "1");
        CliRun rest = dlq("replay", "--all", "--reason", "max_deliver_exceeded", "--event-type", "invoice.created",
                "--stored-from", Instant.now().minusSeconds(3600).toString());
        CliRun none = dlq("replay", "--all", "--stored-from", Instant.now().plusSeconds(3600).toString());

        assertThat(one.exitCode()).as(one.toString()).isZero();
        assertThat(one.out()).contains("event ev-9").doesNotContain("event ev-10").doesNotContain("event ev-8")
                .contains("1 of 1 replayed (reason=max_deliver_exceeded)").contains("--limit 1 reached");
        assertThat(rest.out()).contains("event ev-10").doesNotContain("event ev-9").doesNotContain("event ev-8")
                .contains("1 of 1 replayed");
        assertThat(none.out()).contains("0 of 0 replayed");
        assertThat(dlq("list").out()).containsPattern("ev-8 +unrecoverable +2 +waiting");
    }

    @Test
    void replayFiltersNeedAllAndValidInstants() {
        CliRun withSequence = dlq("replay", "5", "--reason", "unrecoverable");
        CliRun badInstant = dlq("replay", "--all", "--stored-from", "yesterday");

        assertThat(withSequence.exitCode()).isEqualTo(2);
        assertThat(withSequence.err()).contains("go with --all");
        assertThat(badInstant.exitCode()).isEqualTo(2);
        assertThat(badInstant.err()).contains("--stored-from must be an ISO-8601 instant");
    }

    @Test
    void replayNeedsSequencesOrAll() {
        assertThat(dlq("replay").exitCode()).isEqualTo(2);
        assertThat(dlq("replay", "--all", "5").exitCode()).isEqualTo(2);
        assertThat(dlq("list", "--limit", "0").exitCode()).isEqualTo(2);
    }
}
