package io.jetstreambridge.core.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One dead-lettered message as stored on {@code {app}.sync.dlq}.
 *
 * @param sequence   its stream sequence: the handle for inspect, replay and purge
 * @param subject    the DLQ subject
 * @param storedAt   when the server stored it
 * @param eventId    the event id it was dead-lettered under (context {@code event_id}, else the
 *                   {@code Nats-Msg-Id} without {@code :dlq})
 * @param reason     the {@code x-dlq-reason} header, {@code ""} when absent
 * @param deliveries the {@code x-deliveries} header, 0 when absent
 * @param context    the {@code x-dlq-context} header
 * @param headers    every header as stored
 * @param body       the original body, byte for byte (may not be valid JSON, for {@code malformed_json})
 * @param replayed   the replay this entry records, or null while it has not been replayed
 */
public record DeadLetter(long sequence, String subject, Instant storedAt, String eventId, String reason,
                         long deliveries, DeadLetterContext context, Map<String, List<String>> headers, byte[] body,
                         ReplayRecord replayed) {

    public DeadLetter {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** Equal when every component is, the body compared by content. */
    @Override
    public boolean equals(Object other) {
        return other instanceof DeadLetter d && sequence == d.sequence && deliveries == d.deliveries
                && subject.equals(d.subject) && storedAt.equals(d.storedAt) && eventId.equals(d.eventId)
                && reason.equals(d.reason) && context.equals(d.context) && headers.equals(d.headers)
                && Arrays.equals(body, d.body) && Objects.equals(replayed, d.replayed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, subject, eventId, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "DeadLetter[sequence=" + sequence + ", subject=" + subject + ", storedAt=" + storedAt + ", eventId="
                + eventId + ", reason=" + reason + ", deliveries=" + deliveries + ", context=" + context
                + ", headers=" + headers + ", body=" + bodyText() + ", replayed=" + replayed + "]";
    }

    /** The body as UTF-8 text (malformed bytes replaced). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The replay this entry records; empty while it waits for one. */
    public Optional<ReplayRecord> replay() {
        return Optional.ofNullable(replayed);
    }

    public boolean isReplayed() {
        return replayed != null;
    }
}
