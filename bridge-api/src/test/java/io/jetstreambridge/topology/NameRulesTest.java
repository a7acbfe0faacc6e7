package io.jetstreambridge.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** App names and destinations are single subject tokens; stream names follow JetStream's rules. */
class NameRulesTest {

    @Nested
    class Tokens {

        @ParameterizedTest
        @ValueSource(strings = {"orders", "billing-service", "Billing_2", "a", "ORDERS", "dlq-archive", "ä-app",
                "$orders"})
        void accepts(String name) {
            assertThat(NameRules.checkToken(name)).isEmpty();
        }

        @Test
        void acceptsExactly255Characters() {
            assertThat(NameRules.checkToken("a".repeat(255))).isEmpty();
            assertThat(NameRules.MAX_LENGTH).isEqualTo(255);
        }

        @Test
        void rejects256Characters() {
            assertThat(NameRules.checkToken("a".repeat(256))).hasValueSatisfying(
                    why -> assertThat(why).contains("256").contains("255"));
        }

        @Test
        void rejectsEmptyAndNull() {
            assertThat(NameRules.checkToken("")).hasValueSatisfying(why -> assertThat(why).contains("empty"));
            assertThat(NameRules.checkToken(null)).isPresent();
        }

        @ParameterizedTest
        @ValueSource(strings = {"orders.v2", ".orders", "orders.", "ord*", "*", "orders>", ">"})
        void rejectsSubjectSeparatorsAndWildcards(String name) {
            assertThat(NameRules.checkToken(name)).isPresent();
        }

        @ParameterizedTest
        @ValueSource(strings = {"my app", " orders", "orders ", "or\tders", "or\nders", "or\rders",
                "or\u00a0ders", "or\u2003ders"})
        void rejectsWhitespace(String name) {
            assertThat(NameRules.checkToken(name)).hasValueSatisfying(
                    why -> assertThat(why).contains("whitespace"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"or\u0000ders", "or\u0007ders", "orders\u001b", "or\u007fders", "or\u0085ders"})
        void rejectsControlCharacters(String name) {
            assertThat(NameRules.checkToken(name)).hasValueSatisfying(
                    why -> assertThat(why).contains("control"));
        }

        @Test
        void allowedTextDescribesTheRule() {
            assertThat(NameRules.TOKEN_ALLOWED).contains("255", "'.'", "'*'", "'>'", "whitespace", "control");
        }
    }

    @Nested
    class Destinations {

        @Test
        void rejectsDlqBecauseItIsTheDeadLetterSubject() {
            assertThat(NameRules.checkDestination("dlq")).hasValueSatisfying(
                    why -> assertThat(why).contains("dlq").contains("reserved"));
            assertThat(NameRules.RESERVED_DESTINATION).isEqualTo("dlq");
        }

        @ParameterizedTest
        @ValueSource(strings = {"billing", "dlq2", "my-dlq", "DLQ"})
        void acceptsOtherTokens(String destination) {
            assertThat(NameRules.checkDestination(destination)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "billing.eu", "bill*", "bill>", "bill ing"})
        void appliesTheTokenRules(String destination) {
            assertThat(NameRules.checkDestination(destination)).isPresent();
        }

        @Test
        void appliesTheLengthLimit() {
            assertThat(NameRules.checkDestination("b".repeat(255))).isEmpty();
            assertThat(NameRules.checkDestination("b".repeat(256))).isPresent();
        }
    }

    @Nested
    class StreamNames {

        @ParameterizedTest
        @ValueSource(strings = {"jetstream-bridge-stream", "ORDERS", "orders_events_v2"})
        void accepts(String name) {
            assertThat(NameRules.checkStreamName(name)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "my.stream", "my*stream", "my>stream", "my/stream", "my\\stream", "my stream",
                "my\tstream", "my\u0001stream"})
        void rejects(String name) {
            assertThat(NameRules.checkStreamName(name)).isPresent();
        }

        @Test
        void appliesTheLengthLimit() {
            assertThat(NameRules.checkStreamName("s".repeat(255))).isEmpty();
            assertThat(NameRules.checkStreamName("s".repeat(256))).isPresent();
            assertThat(NameRules.checkStreamName(null)).isPresent();
        }

        @Test
        void controlCharactersAreShownEscaped() {
            assertThat(NameRules.checkStreamName("a\u0001b")).hasValueSatisfying(
                    why -> assertThat(why).contains("\\u0001"));
        }
    }
}
