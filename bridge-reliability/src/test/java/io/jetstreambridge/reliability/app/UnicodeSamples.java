package io.jetstreambridge.reliability.app;

/**
 * F12's text: for each order, a resource id and a payload note full of Unicode (astral planes, right-to-left
 * text and overrides, combining marks, NUL and other controls, JSON syntax), chosen from the order id, so the
 * consumer can tell whether the event arrived exactly as it was published.
 */
public final class UnicodeSamples {

    /** Whether this JVM publishes (and checks) F12's Unicode events. */
    public static final boolean ON = Boolean.getBoolean("fault.unicode");

    private static final String[] PIECES = {
        "\uD83D\uDE00", "\uD834\uDD1E", "\uDBFF\uDFFF", // astral: emoji, musical G clef, U+10FFFF
        "\u05E9\u05DC\u05D5\u05DD", "\u0645\u0631\u062D\u0628\u0627", "\u202E", "\u200F", // RTL and overrides
        "e\u0301", "\u0301", "\u0903", // combining marks, one with nothing to combine with
        "\u4E2D\u6587", "\u00FC\u00DF", "\u0130", "\u00A0", "\u3000", "\uFEFF", // CJK, Latin-1, odd blanks
        "\"", "\\", "{\"x\":[", "\t", "\u0085", "\u2028", // JSON syntax, tab, NEL, line separator
    };

    private UnicodeSamples() {
    }

    /** The order's resource id: any Unicode except U+0000 (identifiers go into the outbox table's columns). */
    public static String resourceId(String orderId) {
        return orderId + "-" + pieces(orderId, 3);
    }

    /** A payload string: any Unicode, U+0000 and other controls included. */
    public static String note(String orderId) {
        return pieces(orderId, 6) + "\u0000" + orderId + "\u0001" + pieces(orderId + "#", 4);
    }

    private static String pieces(String seed, int count) {
        int hash = seed.hashCode();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            hash = hash * 31 + i;
            text.append(PIECES[Math.floorMod(hash, PIECES.length)]).append((char) ('a' + Math.floorMod(hash, 26)));
        }
        return text.toString();
    }
}
