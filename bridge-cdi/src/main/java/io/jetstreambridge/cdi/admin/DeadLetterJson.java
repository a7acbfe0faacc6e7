package io.jetstreambridge.cdi.admin;

import io.jetstreambridge.core.deadletter.BulkReplay;
import io.jetstreambridge.core.deadletter.DeadLetter;
import io.jetstreambridge.core.deadletter.DeadLetterPage;
import io.jetstreambridge.core.deadletter.ReplayRecord;
import io.jetstreambridge.core.deadletter.ReplayResult;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.Base64;

/** The admin resource's JSON for dead letters; keys in snake case like the wire contract. */
final class DeadLetterJson {

    private final JsonProvider json;

    DeadLetterJson(JsonProvider json) {
        this.json = json;
    }

    JsonObject page(DeadLetterPage page, String subject, String stream, long count) {
        JsonArrayBuilder entries = json.createArrayBuilder();
        page.entries().forEach(letter -> entries.add(summary(letter)));
        JsonObjectBuilder body = json.createObjectBuilder().add("stream", stream).add("subject", subject)
                .add("count", count).add("entries", entries);
        if (page.hasMore()) {
            body.add("next", page.nextSequence());
        } else {
            body.addNull("next");
        }
        return body.build();
    }

    JsonObjectBuilder summary(DeadLetter letter) {
        JsonObjectBuilder o = json.createObjectBuilder()
                .add("sequence", letter.sequence())
                .add("event_id", letter.eventId())
                .add("reason", letter.reason())
                .add("deliveries", letter.deliveries())
                .add("stored_at", letter.storedAt().toString())
                .add("error_class", letter.context().errorClass())
                .add("error_message", letter.context().errorMessage())
                .add("original_subject", letter.context().originalSubject());
        if (letter.isReplayed()) {
            o.add("replayed", replay(letter.replayed()));
        } else {
            o.addNull("replayed");
        }
        return o;
    }

    /** Everything: the summary plus context, headers and the body (parsed when it is JSON, and as text and base64). */
    JsonObject detail(DeadLetter letter) {
        JsonObjectBuilder headers = json.createObjectBuilder();
        letter.headers().forEach((name, values) -> headers.add(name, json.createArrayBuilder(values)));
        return summary(letter)
                .add("subject", letter.subject())
                .add("context", parsed(letter.context().raw()))
                .add("headers", headers)
                .add("body", parsed(letter.bodyText()))
                .add("body_text", letter.bodyText())
                .add("body_base64", Base64.getEncoder().encodeToString(letter.body()))
                .build();
    }

    JsonObject replayResult(ReplayResult r) {
        return json.createObjectBuilder()
                .add("dlq_sequence", r.dlqSequence())
                .add("event_id", r.eventId())
                .add("message_id", r.messageId())
                .add("subject", r.subject())
                .add("stream_sequence", r.streamSequence())
                .add("duplicate", r.duplicate())
                .add("record_sequence", r.recordSequence())
                .build();
    }

    JsonObject bulkReplay(BulkReplay bulk, String filter) {
        var replayed = json.createArrayBuilder();
        bulk.replayed().forEach(r -> replayed.add(replayResult(r)));
        var failed = json.createArrayBuilder();
        bulk.failed().forEach(f -> failed.add(json.createObjectBuilder().add("dlq_sequence", f.sequence())
                .add("event_id", f.eventId()).add("error", String.valueOf(f.reason()))));
        return json.createObjectBuilder()
                .add("filter", filter)
                .add("replayed", replayed)
                .add("failed", failed)
                .add("next", bulk.nextSequence())
                .add("through", bulk.throughSequence())
                .build();
    }

    private JsonObjectBuilder replay(ReplayRecord r) {
        return json.createObjectBuilder()
                .add("replayed_at", r.replayedAt().toString())
                .add("message_id", r.messageId())
                .add("subject", r.subject())
                .add("stream_sequence", r.replaySequence())
                .add("from_dlq_sequence", r.fromDlqSequence());
    }

    /** The text as JSON when it is, else null (malformed bodies are in {@code body_text}). */
    private JsonValue parsed(String text) {
        if (text == null || text.isBlank()) {
            return JsonValue.NULL;
        }
        try (var reader = json.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            return JsonValue.NULL;
        }
    }
}
