package io.jetstreambridge.publish;

/**
 * What text an event may carry so that it arrives as it was given, whether it is published directly or through
 * the outbox: one rule for both, checked at {@code publish}, so the relay never meets a row it cannot send.
 *
 * <ul>
 *   <li>Header names: printable ASCII without {@code :} (0x21-0x7E), jnats' own rule.</li>
 *   <li>Header values (and the event id, sent as {@code Nats-Msg-Id}): printable ASCII and tab, neither first nor
 *   last a blank. jnats refuses anything above 0x7F and CR/LF; NATS trims blanks and control characters at
 *   either end of a received value (a value {@code " a"} arrives as {@code "a"}); ADR-4 allows printable ASCII
 *   and tab only.</li>
 *   <li>Every other string (event type, resource type and id, trace id, payload strings and keys): any Unicode,
 *   but no lone surrogate (it is not a character: UTF-8 cannot encode it and it would arrive as {@code ?}).
 *   Identifiers (event type, resource type and id, event and trace id) also have no U+0000: PostgreSQL cannot
 *   store it in the outbox table, so the same event would fail only with the outbox on.</li>
 * </ul>
 */
public final class EventText {

    private EventText() {
    }

    /** @throws IllegalArgumentException naming the header and the offending character */
    public static void requireHeaderName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a header name is empty");
        }
        for (int i = 0; i < name.length(); i = name.offsetByCodePoints(i, 1)) {
            int c = name.codePointAt(i);
            if (c < 0x21 || c > 0x7E || c == ':') {
                throw new IllegalArgumentException("header name '" + name + "' has " + describe(c) + " at index "
                        + i + ": NATS header names take printable ASCII except ':' (0x21-0x7E)");
            }
        }
    }

    /**
     * @param what e.g. {@code header 'X-Tenant'}
     * @throws IllegalArgumentException naming {@code what} and the offending character
     */
    public static void requireHeaderValue(String what, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty; leave the header out instead");
        }
        for (int i = 0; i < value.length(); i = value.offsetByCodePoints(i, 1)) {
            int c = value.codePointAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7E) {
                throw new IllegalArgumentException(what + " has " + describe(c) + " at index " + i
                        + ": NATS header values take printable ASCII and tab only (0x20-0x7E, 0x09); encode other "
                        + "text (e.g. percent-encoding) or put it in the payload");
            }
        }
        if (isBlank(value.charAt(0)) || isBlank(value.charAt(value.length() - 1))) {
            throw new IllegalArgumentException(what + " '" + value + "' starts or ends with a blank, which NATS "
                    + "drops on the way: trim it");
        }
    }

    /**
     * An identifier that also goes into the outbox table's columns: any Unicode but U+0000 and lone surrogates.
     *
     * @throws IllegalArgumentException naming {@code what} and the offending character
     */
    public static void requireIdentifier(String what, String value) {
        if (value == null) {
            return;
        }
        int nul = value.indexOf('\u0000');
        if (nul >= 0) {
            throw new IllegalArgumentException(what + " has U+0000 (NUL) at index " + nul
                    + ": the outbox table cannot store it (PostgreSQL)");
        }
        requireText(what, value);
    }

    /**
     * Any Unicode but lone surrogates.
     *
     * @throws IllegalArgumentException naming {@code what} and the lone surrogate
     */
    public static void requireText(String what, String value) {
        int lone = loneSurrogate(value);
        if (lone >= 0) {
            throw loneSurrogateIn(what, value, lone);
        }
    }

    /** Index of the first surrogate that is not half of a pair, or -1. */
    public static int loneSurrogate(String value) {
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** The exception for a lone surrogate at {@code index} of {@code value}. */
    public static IllegalArgumentException loneSurrogateIn(String what, String value, int index) {
        return new IllegalArgumentException(what + " has a lone surrogate " + describe(value.charAt(index))
                + " at index " + index + ": it is not a Unicode character and cannot be sent as UTF-8");
    }

    /** e.g. {@code U+00FC 'ü'}, {@code U+0000}, {@code U+1F600 '😀'}. */
    static String describe(int codePoint) {
        String code = String.format("U+%04X", codePoint);
        boolean surrogate = Character.isBmpCodePoint(codePoint) && Character.isSurrogate((char) codePoint);
        boolean visible = !surrogate && !Character.isISOControl(codePoint) && !Character.isWhitespace(codePoint);
        return visible ? code + " '" + new String(Character.toChars(codePoint)) + "'" : code;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
