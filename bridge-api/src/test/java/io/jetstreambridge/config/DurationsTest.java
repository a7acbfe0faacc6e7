package io.jetstreambridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Duration strings as the wire contract (and the Ruby gem) read them. */
class DurationsTest {

    @Nested
    class ContractExamples {

        @ParameterizedTest(name = "\"{0}\" is {1} ns")
        @CsvSource({
                "30s,   30000000000",
                "500ms, 500000000",
                "2m,    120000000000",
                "1h,    3600000000000",
                "1d,    86400000000000",
                "250us, 250000",
                "10ns,  10"})
        void parse(String text, long nanos) {
            assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
        }

        @Test
        void microsecondsMayUseTheMicroSign() {
            assertThat(Durations.parse("250µs")).isEqualTo(Duration.ofNanos(250_000));
        }
    }

    @Nested
    class Syntax {

        @ParameterizedTest
        @CsvSource({"30S, 30s", "500MS, 500ms", "500Ms, 500ms", "2M, 2m", "1H, 1h", "1D, 1d", "250US, 250us",
                "10NS, 10ns"})
        void unitsAreCaseInsensitive(String upper, String lower) {
            assertThat(Durations.parse(upper)).isEqualTo(Durations.parse(lower));
        }

        @Test
        void mUnitIsMinutesNotMilliseconds() {
            assertThat(Durations.parse("2M")).isEqualTo(Duration.ofMinutes(2));
        }

        @ParameterizedTest
        @CsvSource({"1.5s, 1500", "0.25s, 250", "1.5m, 90000", "0.5h, 1800000", "2.5ms, 2.5", "1.0d, 86400000"})
        void decimalsAreAllowed(String text, double millis) {
            assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos((long) (millis * 1_000_000)));
        }

        @ParameterizedTest
        @CsvSource({"1_000ms, 1000", "1_500_000us, 1500", "10_000, 10000", "1.2_5s, 1250"})
        void underscoresAreAllowedBetweenDigits(String text, long millis) {
            assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
        }

        @ParameterizedTest
        @ValueSource(strings = {"5 s", "5 ms", "1.5 m", "5 S"})
        void oneSpaceBetweenNumberAndUnitIsAllowed(String text) {
            assertThat(Durations.parse(text)).isEqualTo(Durations.parse(text.replace(" ", "")));
        }

        @ParameterizedTest
        @ValueSource(strings = {"5  s", "5\ts", "5 \ts", "5\u00a0s"})
        void moreThanOneSpaceOrOtherWhitespaceIsNot(String text) {
            assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void surroundingWhitespaceIsIgnored() {
            assertThat(Durations.parse("  30s ")).isEqualTo(Duration.ofSeconds(30));
        }

        @Test
        void zeroIsADuration() {
            assertThat(Durations.parse("0s")).isZero();
            assertThat(Durations.parse("0")).isZero();
        }
    }

    @Nested
    class BareNumbers {

        @Test
        void below1000AreSeconds() {
            assertThat(Durations.parse("999")).isEqualTo(Duration.ofSeconds(999));
            assertThat(Durations.parse("1")).isEqualTo(Duration.ofSeconds(1));
            assertThat(Durations.parse("30")).isEqualTo(Duration.ofSeconds(30));
        }

        @Test
        void from1000AreMilliseconds() {
            assertThat(Durations.parse("1000")).isEqualTo(Duration.ofMillis(1000));
            assertThat(Durations.parse("1001")).isEqualTo(Duration.ofMillis(1001));
            assertThat(Durations.parse("30000")).isEqualTo(Duration.ofSeconds(30));
        }

        @Test
        void theBoundaryHoldsForDecimalsAndUnderscores() {
            assertThat(Durations.parse("999.5")).isEqualTo(Duration.ofMillis(999_500));
            assertThat(Durations.parse("1_000")).isEqualTo(Duration.ofMillis(1000));
        }
    }

    @Nested
    class Garbage {

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "abc", "-1s", "1x", "s", "ms", "1.5.5s", "1e3", "1,5s", ".5s", "5.s",
                "1_", "1__s_", "1s5", "s5", "+5s", "5 s s", "1sec", "1min", "2 hours"})
        void isRejectedWithAMessageNamingTheValue(String text) {
            assertThatThrownBy(() -> Durations.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + text + "'")
                    .hasMessageContaining("30s");
        }

        @Test
        void nullIsRejected() {
            assertThatThrownBy(() -> Durations.parse(null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("missing");
        }

        /** Longer than {@link Duration#ofNanos} can hold: an error, never a silently negative duration. */
        @ParameterizedTest
        @ValueSource(strings = {"200000d", "9999999999999999999ns", "300000000000000000000s"})
        void tooLongIsRejectedNotWrappedAround(String text) {
            assertThatThrownBy(() -> Durations.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + text + "'");
        }

        @Test
        void theLongestRepresentableDurationIsAccepted() {
            assertThat(Durations.parse("106751d")).isEqualTo(Duration.ofDays(106_751));
        }
    }

    @Nested
    class Format {

        @ParameterizedTest
        @CsvSource({"30000, 30s", "500, 500ms", "120000, 2m", "3600000, 1h", "86400000, 1d", "1500, 1500ms",
                "90000, 90s", "0, 0s"})
        void writesTheShortestExactText(long millis, String text) {
            assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
        }

        @Test
        void writesSubMillisecondUnits() {
            assertThat(Durations.format(Duration.ofNanos(250_000))).isEqualTo("250us");
            assertThat(Durations.format(Duration.ofNanos(10))).isEqualTo("10ns");
        }

        @ParameterizedTest
        @ValueSource(strings = {"30s", "500ms", "2m", "1h", "1d", "250us", "10ns", "1.5s", "2.5ms", "999", "1000",
                "36h", "0s"})
        void isReadBackAsTheSameDuration(String text) {
            Duration d = Durations.parse(text);

            assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
        }
    }
}
