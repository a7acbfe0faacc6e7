package io.jetstreambridge.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses duration strings the way the Ruby gem {@code jetstream_bridge} does, so the same configuration values
 * mean the same thing on both sides: {@code "30s"}, {@code "500ms"}, {@code "2m"}, {@code "1h"}, {@code "1d"},
 * {@code "250us"}, {@code "10ns"}; units case-insensitive; decimals and {@code _} allowed; one optional space
 * between number and unit. A bare number below 1000 means seconds, 1000 or more means milliseconds.
 */
public final class Durations {

    /** What {@link #parse} accepts, for error messages. */
    public static final String ALLOWED = "a duration such as 30s, 500ms, 2m, 1h, 1d, 250us or 10ns "
            + "(a bare number below 1000 is seconds, from 1000 on milliseconds)";

    private static final Pattern FORMAT =
            Pattern.compile("([0-9][0-9_]*(?:\\.[0-9_]+)?) ?(ns|us|µs|ms|s|m|h|d)?");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException when the text is not a duration; the message says what is allowed
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing duration: expected " + ALLOWED);
        }
        Matcher m = FORMAT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || m.group(1).endsWith("_") || m.group(1).contains("._")) {
            throw new IllegalArgumentException("'" + text + "' is not " + ALLOWED);
        }
        BigDecimal amount = new BigDecimal(m.group(1).replace("_", ""));
        String unit = m.group(2);
        if (unit == null) {
            unit = amount.compareTo(BigDecimal.valueOf(1000)) < 0 ? "s" : "ms";
        }
        BigInteger nanos = amount.multiply(BigDecimal.valueOf(nanosPer(unit))).toBigInteger();
        if (nanos.bitLength() > 63) {
            // longValue() would wrap around to a negative duration
            throw new IllegalArgumentException("'" + text + "' is too long: at most 106751d (about 292 years)");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** The shortest text {@link #parse} reads back as the same duration, used for defaults and reports. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        String[] units = {"d", "h", "m", "s", "ms", "us", "ns"};
        for (String unit : units) {
            long per = nanosPer(unit);
            if (nanos != 0 && nanos % per == 0) {
                return nanos / per + unit;
            }
        }
        return "0s";
    }

    private static long nanosPer(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }
}
