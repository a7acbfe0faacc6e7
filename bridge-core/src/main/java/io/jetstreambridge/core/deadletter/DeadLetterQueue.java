package io.jetstreambridge.core.deadletter;

import io.jetstreambridge.envelope.EnvelopeFactory;
import io.jetstreambridge.envelope.WireHeaders;
import io.jetstreambridge.core.log.BridgeLog;
import io.jetstreambridge.topology.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.PurgeOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import jakarta.json.spi.JsonProvider;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The dead-letter engine: reads {@code {app}.sync.dlq} back from the stream with message gets by sequence
 * ({@code STREAM.MSG.GET}, "next message on the subject"), not with a consumer, because the stream's work-queue
 * retention admits only explicit-ack consumers with filters that do not overlap, and an ack would delete the
 * entry. Replays with {@code publish}, deletes with {@code STREAM.MSG.DELETE} and purges by subject.
 * Plain Java: usable by the CDI facade and by command-line tools alike.
 */
public final class DeadLetterQueue implements DeadLetterOperations {

    static final int NO_MESSAGE_FOUND = 10037;
    static final int MAX_PAGE = 1000;

    private final JetStreamManagement jsm;
    private final JetStream jetStream;
    private final Topology topology;
    private final JsonProvider json;
    private final Clock clock;

    /**
     * @param jsm      JetStream management on the connection (its {@code jetStream()} is used for publishing)
     * @param topology the application's names: stream, DLQ subject, consume subject
     */
    public DeadLetterQueue(JetStreamManagement jsm, Topology topology, JsonProvider json, Clock clock) {
        this.jsm = Objects.requireNonNull(jsm, "jsm");
        this.jetStream = jsm.jetStream();
        this.topology = Objects.requireNonNull(topology, "topology");
        this.json = Objects.requireNonNull(json, "json");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The engine on an open connection, with the default JSON-P provider and the system clock. */
    public static DeadLetterQueue of(Connection connection, Topology topology) {
        try {
            return new DeadLetterQueue(connection.jetStreamManagement(), topology, JsonProvider.provider(),
                    Clock.systemUTC());
        } catch (IOException e) {
            throw new DeadLetterException("cannot open JetStream management on the connection: " + e.getMessage(),
                    topology.stream(), 0, e);
        }
    }

    @Override
    public String subject() {
        return topology.dlqSubject();
    }

    @Override
    public String stream() {
        return topology.stream();
    }

    @Override
    public long count() {
        try {
            List<Subject> subjects = jsm.getStreamInfo(stream(), StreamInfoOptions.filterSubjects(subject()))
                    .getStreamState().getSubjects();
            return subjects == null ? 0 : subjects.stream().mapToLong(Subject::getCount).sum();
        } catch (IOException | JetStreamApiException e) {
            throw failure("count the dead letters", 0, e);
        }
    }

    @Override
    public DeadLetterPage list(long fromSequence, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", was " + limit);
        }
        if (fromSequence < 0) {
            throw new IllegalArgumentException("fromSequence must be 0 or more, was " + fromSequence);
        }
        List<DeadLetter> entries = new ArrayList<>();
        long next = Math.max(1, fromSequence);
        while (entries.size() < limit) {
            Optional<MessageInfo> found = nextFrom(next);
            if (found.isEmpty()) {
                return new DeadLetterPage(entries, 0);
            }
            entries.add(toDeadLetter(found.get()));
            next = found.get().getSeq() + 1;
        }
        return new DeadLetterPage(entries, next);
    }

    @Override
    public Optional<DeadLetter> inspect(long sequence) {
        return read(sequence).map(this::toDeadLetter);
    }

    @Override
    public ReplayResult replay(long sequence) {
        MessageInfo stored = read(sequence).orElseThrow(() -> notFound(sequence));
        DeadLetter letter = toDeadLetter(stored);
        if (letter.isReplayed()) {
            throw new DeadLetterAlreadyReplayedException(stream(), sequence, letter.replayed());
        }
        String eventId = originalEventId(letter);
        String messageId = eventId + ":replay:" + sequence;
        String target = letter.context().originalSubject().isBlank()
                ? topology.consumeSubject() : letter.context().originalSubject();
        String now = EnvelopeFactory.formatOccurredAt(clock.instant());

        Headers replayHeaders = copy(stored.getHeaders(), DeadLetterQueue::isOriginalHeader);
        replayHeaders.put(WireHeaders.MSG_ID, messageId);
        replayHeaders.put(DeadLetterHeaders.REPLAY_OF_EVENT_ID, eventId);
        replayHeaders.put(DeadLetterHeaders.REPLAY_OF_DLQ_SEQUENCE, String.valueOf(sequence));
        replayHeaders.put(DeadLetterHeaders.REPLAYED_AT, now);
        PublishAck replayed = publish(target, replayHeaders, stored.getData(), sequence);

        Headers recordHeaders = copy(stored.getHeaders(), name -> !isServerHeader(name));
        recordHeaders.put(WireHeaders.MSG_ID, eventId + ":dlq-replayed:" + sequence);
        recordHeaders.put(DeadLetterHeaders.DLQ_REPLAYED_AT, now);
        recordHeaders.put(DeadLetterHeaders.DLQ_REPLAY_MSG_ID, messageId);
        recordHeaders.put(DeadLetterHeaders.DLQ_REPLAY_SUBJECT, target);
        recordHeaders.put(DeadLetterHeaders.DLQ_REPLAY_SEQUENCE, String.valueOf(replayed.getSeqno()));
        recordHeaders.put(DeadLetterHeaders.DLQ_REPLAYED_FROM_SEQUENCE, String.valueOf(sequence));
        PublishAck record = publish(subject(), recordHeaders, stored.getData(), sequence);

        delete(sequence);
        BridgeLog.deadLetterReplayed(stream(), sequence, messageId, target, replayed.getSeqno(),
                replayed.isDuplicate(), record.getSeqno());
        return new ReplayResult(sequence, eventId, messageId, target, replayed.getSeqno(), replayed.isDuplicate(),
                record.getSeqno());
    }

    @Override
    public BulkReplay replayMatching(DeadLetterFilter filter, long fromSequence, long throughSequence, int limit) {
        Objects.requireNonNull(filter, "filter");
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", was " + limit);
        }
        if (fromSequence < 0 || throughSequence < 0) {
            throw new IllegalArgumentException("sequences must be 0 or more, were " + fromSequence + " and "
                    + throughSequence);
        }
        long through = throughSequence > 0 ? throughSequence : lastSequence();
        List<ReplayResult> replayed = new ArrayList<>();
        List<BulkReplay.Failure> failed = new ArrayList<>();
        int alreadyReplayed = 0;
        long next = Math.max(1, fromSequence);
        while (next > 0 && next <= through) {
            DeadLetterPage page = list(next, limit);
            next = page.nextSequence();
            for (DeadLetter letter : page.entries()) {
                if (letter.sequence() > through) {
                    next = 0;
                    break;
                }
                if (!filter.matches(letter, json)) {
                    continue;
                }
                if (replayed.size() + failed.size() == limit) {
                    next = letter.sequence();
                    break;
                }
                try {
                    replayed.add(replay(letter.sequence()));
                } catch (DeadLetterAlreadyReplayedException | DeadLetterNotFoundException e) {
                    alreadyReplayed++; // replayed or purged meanwhile by someone else
                } catch (DeadLetterException e) {
                    failed.add(new BulkReplay.Failure(letter.sequence(), letter.eventId(), e.getMessage()));
                }
            }
            if (replayed.size() + failed.size() == limit && next > 0) {
                break;
            }
        }
        long nextSequence = next > through ? 0 : next;
        BridgeLog.deadLettersReplayed(stream(), filter.describe() + ", sequences " + Math.max(1, fromSequence)
                + " to " + through, replayed.size(), alreadyReplayed, failed.size());
        return new BulkReplay(replayed, failed, nextSequence, through);
    }

    /** The stream's last sequence now: a bulk replay's upper bound. */
    private long lastSequence() {
        try {
            return jsm.getStreamInfo(stream()).getStreamState().getLastSequence();
        } catch (IOException | JetStreamApiException e) {
            throw failure("read the stream's last sequence", 0, e);
        }
    }

    @Override
    public boolean purge(long sequence) {
        if (read(sequence).isEmpty()) {
            return false;
        }
        boolean deleted = delete(sequence);
        if (deleted) {
            BridgeLog.deadLettersPurged(stream(), subject(), "sequence " + sequence, 1);
        }
        return deleted;
    }

    @Override
    public long purgeAll() {
        try {
            long purged = jsm.purgeStream(stream(), PurgeOptions.subject(subject())).getPurged();
            BridgeLog.deadLettersPurged(stream(), subject(), "all", purged);
            return purged;
        } catch (IOException | JetStreamApiException e) {
            throw failure("purge the dead letters", 0, e);
        }
    }

    @Override
    public long purgeReplayed() {
        long purged = 0;
        long from = 1;
        do {
            DeadLetterPage page = list(from, MAX_PAGE);
            for (DeadLetter letter : page.entries()) {
                if (letter.isReplayed() && delete(letter.sequence())) {
                    purged++;
                }
            }
            from = page.nextSequence();
        } while (from > 0);
        BridgeLog.deadLettersPurged(stream(), subject(), "replayed", purged);
        return purged;
    }

    /** The message at this sequence if it is on the DLQ subject: never hand out another subject's message. */
    private Optional<MessageInfo> read(long sequence) {
        if (sequence < 1) {
            return Optional.empty();
        }
        try {
            MessageInfo info = jsm.getMessage(stream(), sequence);
            return subject().equals(info.getSubject()) ? Optional.of(info) : Optional.empty();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                return Optional.empty();
            }
            throw failure("read dead letter " + sequence, sequence, e);
        } catch (IOException e) {
            throw failure("read dead letter " + sequence, sequence, e);
        }
    }

    private Optional<MessageInfo> nextFrom(long sequence) {
        try {
            return Optional.of(jsm.getNextMessage(stream(), sequence, subject()));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                return Optional.empty();
            }
            throw failure("list the dead letters from sequence " + sequence, 0, e);
        } catch (IOException e) {
            throw failure("list the dead letters from sequence " + sequence, 0, e);
        }
    }

    private PublishAck publish(String target, Headers headers, byte[] body, long sequence) {
        try {
            return jetStream.publish(NatsMessage.builder().subject(target).headers(headers).data(body).build(),
                    PublishOptions.builder().expectedStream(stream()).build());
        } catch (IOException | JetStreamApiException e) {
            throw failure("replay dead letter " + sequence + " to " + target, sequence, e);
        }
    }

    /** Deletes without secure erase; an entry already gone (a concurrent replay or purge) is not an error. */
    private boolean delete(long sequence) {
        try {
            return jsm.deleteMessage(stream(), sequence, false);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                return false;
            }
            throw failure("delete dead letter " + sequence, sequence, e);
        } catch (IOException e) {
            throw failure("delete dead letter " + sequence, sequence, e);
        }
    }

    private DeadLetter toDeadLetter(MessageInfo info) {
        Map<String, List<String>> headers = headers(info.getHeaders());
        DeadLetterContext context = DeadLetterContext.parse(
                WireHeaders.header(headers, DeadLetterHeaders.CONTEXT).orElse(null), json);
        String eventId = !context.eventId().isBlank() ? context.eventId()
                : WireHeaders.header(headers, WireHeaders.MSG_ID).map(id -> strip(id, ":dlq")).orElse("");
        return new DeadLetter(info.getSeq(), info.getSubject(),
                info.getTime() == null ? Instant.EPOCH : info.getTime().toInstant(), eventId,
                WireHeaders.header(headers, DeadLetterHeaders.REASON).orElse(""),
                number(WireHeaders.header(headers, DeadLetterHeaders.DELIVERIES).orElse("")), context, headers,
                info.getData() == null ? new byte[0] : info.getData(), replayRecord(headers));
    }

    private static ReplayRecord replayRecord(Map<String, List<String>> headers) {
        Optional<String> at = WireHeaders.header(headers, DeadLetterHeaders.DLQ_REPLAYED_AT);
        if (at.isEmpty()) {
            return null;
        }
        Instant when;
        try {
            when = Instant.parse(at.get());
        } catch (RuntimeException e) {
            when = Instant.EPOCH;
        }
        return new ReplayRecord(when, WireHeaders.header(headers, DeadLetterHeaders.DLQ_REPLAY_MSG_ID).orElse(""),
                WireHeaders.header(headers, DeadLetterHeaders.DLQ_REPLAY_SUBJECT).orElse(""),
                number(WireHeaders.header(headers, DeadLetterHeaders.DLQ_REPLAY_SEQUENCE).orElse("")),
                number(WireHeaders.header(headers, DeadLetterHeaders.DLQ_REPLAYED_FROM_SEQUENCE).orElse("")));
    }

    /**
     * The event id a replay is named after: the first replay's original id when this entry came from a replay
     * that failed again (so ids do not grow with every round), else the id it was dead-lettered under.
     */
    private static String originalEventId(DeadLetter letter) {
        return WireHeaders.header(letter.headers(), DeadLetterHeaders.REPLAY_OF_EVENT_ID)
                .or(() -> Optional.of(letter.eventId()).filter(id -> !id.isBlank()))
                .orElse("dlq-seq:" + letter.sequence());
    }

    /**
     * Headers a replayed message keeps: the original's, not the dead-letter ones nor an earlier replay's, nor
     * JetStream's {@code Nats-*} publish headers (a stored expectation such as an expected last sequence would
     * make the replay fail; the message id and expected stream are set afresh).
     */
    private static boolean isOriginalHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !isServerHeader(name)
                && !lower.equals(DeadLetterHeaders.DEAD_LETTER)
                && !lower.equals(DeadLetterHeaders.DELIVERIES)
                && !lower.startsWith("x-dlq-")
                && !lower.startsWith("x-replay");
    }

    private static boolean isServerHeader(String name) {
        return DeadLetterHeaders.isJetStreamHeader(name);
    }

    private static Headers copy(Headers source, java.util.function.Predicate<String> keep) {
        Headers copy = new Headers();
        if (source != null) {
            source.entrySet().stream().filter(e -> keep.test(e.getKey()))
                    .forEach(e -> copy.add(e.getKey(), e.getValue()));
        }
        return copy;
    }

    private static Map<String, List<String>> headers(Headers source) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (source != null) {
            source.entrySet().forEach(e -> headers.put(e.getKey(), List.copyOf(e.getValue())));
        }
        return headers;
    }

    private static String strip(String id, String suffix) {
        return id.endsWith(suffix) ? id.substring(0, id.length() - suffix.length()) : id;
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private DeadLetterNotFoundException notFound(long sequence) {
        return new DeadLetterNotFoundException(stream(), subject(), sequence);
    }

    private DeadLetterException failure(String what, long sequence, Exception e) {
        String why = e instanceof JetStreamApiException api
                ? "JetStream refused (" + api.getApiErrorCode() + "): " + api.getErrorDescription()
                : "no answer: " + e.getMessage();
        return new DeadLetterException("cannot " + what + " on stream '" + stream() + "': " + why
                + (e instanceof IOException ? ". May this user call $JS.API.STREAM.* subjects of the stream?" : ""),
                stream(), sequence, e);
    }
}
