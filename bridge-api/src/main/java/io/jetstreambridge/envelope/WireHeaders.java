package io.jetstreambridge.envelope;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Header names of the wire contract, and the rule for finding a received message's event id. */
public final class WireHeaders {

    /** JetStream's dedupe header, as the bridge writes it. The Ruby gem writes {@code nats-msg-id}. */
    public static final String MSG_ID = "Nats-Msg-Id";

    /** W3C trace context, sent when tracing is active. */
    public static final String TRACEPARENT = "traceparent";

    private WireHeaders() {
    }

    /**
     * The event id of a received message: the body's {@code event_id} (the event's identity, the inbox key), else
     * the {@code Nats-Msg-Id} header in any spelling, else {@code seq:{stream sequence}} (unique within one stream
     * only). The body comes first because a message id names one publish, not the event: a replay or a re-send of
     * the same event carries another message id.
     */
    public static String eventId(Map<String, List<String>> headers, String bodyEventId, long streamSequence) {
        return Optional.ofNullable(bodyEventId).filter(id -> !id.isBlank())
                .or(() -> header(headers, MSG_ID))
                .orElse("seq:" + streamSequence);
    }

    /** The first non-blank value of a header, whatever the case of its name. */
    public static Optional<String> header(Map<String, List<String>> headers, String name) {
        if (headers == null) {
            return Optional.empty();
        }
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream())
                .filter(v -> v != null && !v.isBlank())
                .findFirst();
    }
}
