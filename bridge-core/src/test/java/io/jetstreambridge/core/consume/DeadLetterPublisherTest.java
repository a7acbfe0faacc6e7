package io.jetstreambridge.core.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.impl.Headers;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.io.StringReader;

/** The texts a dead-letter copy puts into headers: what jnats accepts, and the same JSON when read back. */
class DeadLetterPublisherTest {

    @Test
    void asciiEscapesWhatAHeaderValueMayNotHoldAndJsonReadsItBack() {
        String text = "Kunde Müller \u00dc 😀 tab\there, new\nline, del\u007f";
        String json = Json.createObjectBuilder().add("error_message", text).build().toString();

        String escaped = DeadLetterPublisher.ascii(json);

        assertThat(escaped).matches("[\\x20-\\x7e]*");
        new Headers().put("x-dlq-context", escaped); // jnats accepts it
        assertThat(Json.createReader(new StringReader(escaped)).readObject().getString("error_message"))
                .isEqualTo(text);
        assertThat(DeadLetterPublisher.ascii("order-1")).isSameAs("order-1");
    }

    @Test
    void boundedCutsAtTheLimitWithoutSplittingASurrogatePair() {
        String emoji = "😀";
        String text = "x".repeat(DeadLetterPublisher.MAX_ERROR_MESSAGE - 1) + emoji + "tail";

        String bounded = DeadLetterPublisher.bounded(text);

        assertThat(bounded).hasSize(DeadLetterPublisher.MAX_ERROR_MESSAGE - 1).doesNotContain("\ud83d");
        assertThat(DeadLetterPublisher.bounded("short")).isEqualTo("short");
        assertThat(DeadLetterPublisher.bounded("y".repeat(5000))).hasSize(DeadLetterPublisher.MAX_ERROR_MESSAGE);
    }
}
