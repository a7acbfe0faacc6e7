package io.jetstreambridge.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The event id of a received message: the body, then the header in either spelling, then the stream sequence. */
class WireHeadersTest {

    private static final String HEADER_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

    @Test
    void bridgeWritesTheCanonicalSpelling() {
        assertThat(WireHeaders.MSG_ID).isEqualTo("Nats-Msg-Id");
        assertThat(WireHeaders.TRACEPARENT).isEqualTo("traceparent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Nats-Msg-Id", "nats-msg-id", "NATS-MSG-ID"})
    void headerInAnySpellingIsUsedWhenTheBodyHasNoEventId(String headerName) {
        Map<String, List<String>> headers = Map.of(headerName, List.of(HEADER_ID));

        assertThat(WireHeaders.eventId(headers, null, 12)).isEqualTo(HEADER_ID);
        assertThat(WireHeaders.eventId(headers, " ", 12)).isEqualTo(HEADER_ID);
    }

    @Test
    void theBodysEventIdWinsOverAnotherMessageId() {
        // the same event published again under another message id (a replay, a re-send) is the same event
        Map<String, List<String>> headers = Map.of("Nats-Msg-Id", List.of(HEADER_ID + ":replay:7"));

        assertThat(WireHeaders.eventId(headers, HEADER_ID, 12)).isEqualTo(HEADER_ID);
    }

    @Test
    void withoutTheHeaderTheBodysEventIdIsUsed() {
        assertThat(WireHeaders.eventId(Map.of("traceparent", List.of("00-abc-def-01")), "body-id", 12))
                .isEqualTo("body-id");
    }

    @Test
    void withoutHeadersAtAllTheBodysEventIdIsUsed() {
        assertThat(WireHeaders.eventId(null, "body-id", 12)).isEqualTo("body-id");
        assertThat(WireHeaders.eventId(Map.of(), "body-id", 12)).isEqualTo("body-id");
    }

    @Test
    void blankHeaderValuesAreSkipped() {
        Map<String, List<String>> headers = Map.of("Nats-Msg-Id", Arrays.asList("", " ", null));

        assertThat(WireHeaders.eventId(headers, null, 12)).isEqualTo("seq:12");
    }

    @Test
    void firstNonBlankValueOfTheHeaderIsUsed() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("nats-msg-id", Arrays.asList(" ", "first", "second"));

        assertThat(WireHeaders.eventId(headers, null, 12)).isEqualTo("first");
    }

    @Test
    void withNeitherHeaderNorBodyIdTheStreamSequenceIsUsed() {
        assertThat(WireHeaders.eventId(Map.of(), null, 4711)).isEqualTo("seq:4711");
        assertThat(WireHeaders.eventId(Map.of(), "", 4711)).isEqualTo("seq:4711");
        assertThat(WireHeaders.eventId(Map.of(), "  ", 4711)).isEqualTo("seq:4711");
    }

    @Test
    void headerLookUpIgnoresCase() {
        Map<String, List<String>> headers = Map.of("TraceParent", List.of("00-1-2-01"));

        assertThat(WireHeaders.header(headers, "traceparent")).contains("00-1-2-01");
        assertThat(WireHeaders.header(headers, "Nats-Msg-Id")).isEmpty();
        assertThat(WireHeaders.header(null, "traceparent")).isEmpty();
    }
}
