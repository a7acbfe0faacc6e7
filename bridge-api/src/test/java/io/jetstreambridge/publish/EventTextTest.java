package io.jetstreambridge.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetstreambridge.envelope.EnvelopeCodec;
import io.jetstreambridge.envelope.EnvelopeFactory;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** What {@code publish} refuses because NATS, UTF-8 or the outbox table could not carry it intact. */
class EventTextTest {

    private static OutgoingEvent.Builder event() {
        return OutgoingEvent.builder("order.created", Map.of("id", 1));
    }

    @Test
    void aNonAsciiHeaderValueIsRefusedNamingTheHeaderAndTheCharacter() {
        assertThatThrownBy(() -> event().header("X-City", "Z\u00fcrich").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("header 'X-City'").hasMessageContaining("U+00FC '\u00fc'")
                .hasMessageContaining("index 1");
        assertThatThrownBy(() -> event().header("X-Mood", "ok \uD83D\uDE00").build())
                .hasMessageContaining("header 'X-Mood'").hasMessageContaining("U+1F600");
    }

    @Test
    void headerValuesNatsWouldChangeOnTheWayAreRefused() {
        // NATS drops blanks and control characters at either end of a value; CR/LF end the header
        for (String value : new String[] {" lead", "trail\t", "a\rb", "a\nb", "nul\u0000", "del\u007f", ""}) {
            assertThatThrownBy(() -> event().header("X-H", value).build()).as("value %s", value)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header 'X-H'");
        }
        assertThatCode(() -> event().header("X-H", "in ner\tand:~!").build()).doesNotThrowAnyException();
    }

    @Test
    void headerNamesFollowJnats() {
        for (String name : new String[] {"a:b", "a b", "caf\u00e9", "tab\t", ""}) {
            assertThatThrownBy(() -> event().header(name, "v").build()).as("name %s", name)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header name");
        }
        assertThatCode(() -> event().header("X!#$%&'*+-.^_`|~\"()<>@[]{}?=/\\,;", "v").build())
                .doesNotThrowAnyException();
    }

    @Test
    void theEventIdIsAHeaderValue() {
        assertThatThrownBy(() -> event().eventId("\u00e9v\u00e9nement-1").build())
                .hasMessageContaining("eventId").hasMessageContaining("U+00E9");
    }

    @Test
    void identifiersTakeAnyUnicodeButNulAndLoneSurrogates() {
        assertThatCode(() -> OutgoingEvent.builder("\u05d4\u05d6\u05de\u05e0\u05d4.\uD83D\uDCE6", Map.of())
                .resourceType("e\u0301").resourceId("\uD800\uDC00-\u202e").build()).doesNotThrowAnyException();

        assertThatThrownBy(() -> OutgoingEvent.builder("order\uD800.created", Map.of()).build())
                .hasMessageContaining("eventType").hasMessageContaining("lone surrogate U+D800 at index 5");
        assertThatThrownBy(() -> event().resourceId("a\u0000b").build())
                .hasMessageContaining("resourceId").hasMessageContaining("U+0000");
        assertThatThrownBy(() -> event().resourceType("\uDC00").build()).hasMessageContaining("resourceType");
        assertThatThrownBy(() -> event().traceId("t\u0000").build()).hasMessageContaining("traceId");
    }

    @Test
    void aLoneSurrogateInThePayloadIsRefusedWithItsPathInsteadOfBecomingAQuestionMark() {
        EnvelopeFactory factory = new EnvelopeFactory("orders", Clock.systemUTC());
        EnvelopeCodec codec = new EnvelopeCodec();
        var payload = Json.createObjectBuilder().add("id", 1).add("lines", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("name", "ok")).add(Json.createObjectBuilder()
                        .add("name", "bad\uDBFF"))).build();

        assertThatThrownBy(() -> codec.encode(factory.create(event().build(), payload)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payload.lines[1].name has a lone surrogate U+DBFF at index 3");

        var astral = Json.createObjectBuilder().add("\uD83D\uDE00", "\uD834\uDD1E \u0000 \u202eRTL").build();
        String body = new String(codec.encode(factory.create(event().build(), astral)), StandardCharsets.UTF_8);
        assertThat(codec.decode(body.getBytes(StandardCharsets.UTF_8)).payload()).isEqualTo(astral);
    }

    @Test
    void aResourceIdInferredFromThePayloadFollowsTheSameRule() {
        EnvelopeFactory factory = new EnvelopeFactory("orders", Clock.systemUTC());
        assertThatThrownBy(() -> factory.create(event().build(), Json.createObjectBuilder().add("id", "a\u0000")
                .build())).hasMessageContaining("resourceId (the payload's id)");
    }
}
