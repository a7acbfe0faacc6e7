package io.jetstreambridge.testing.capacity;

/**
 * A generated part of a hand-written page, between {@code <!-- name:begin -->} and {@code <!-- name:end -->}, each
 * on a line of its own: replaced in place, so the text around it and other generated parts stay as they are. The
 * bench (costs, forecast) and the scaling check (check) write their parts of docs/scaling.md through it.
 */
public final class GeneratedSection {

    private GeneratedSection() {
    }

    public static String begin(String name) {
        return "<!-- " + name + ":begin -->";
    }

    public static String end(String name) {
        return "<!-- " + name + ":end -->";
    }

    /**
     * The page with the section's content replaced, or the section added at the end when the page has none. A
     * marker counts only on a line of its own: a page's text may name the markers (in backticks).
     *
     * @throws IllegalStateException the page holds a marker without its partner, out of order or twice: a page
     *                               edited by hand is refused rather than cut wrong
     */
    public static String replace(String page, String name, String content) {
        String begin = begin(name);
        String end = end(name);
        String body = begin + "\n" + (content.endsWith("\n") ? content : content + "\n") + end;
        int from = marker(page, begin, 0);
        int to = marker(page, end, 0);
        if (from < 0 && to < 0) {
            String separator = page.isEmpty() || page.endsWith("\n\n") ? "" : page.endsWith("\n") ? "\n" : "\n\n";
            return page + separator + body + "\n";
        }
        if (from < 0 || to < from || marker(page, begin, from + 1) >= 0 || marker(page, end, to + 1) >= 0) {
            throw new IllegalStateException("the page must hold " + begin + " once, followed by " + end
                    + " once, each on a line of its own; fix the markers by hand");
        }
        return page.substring(0, from) + body + page.substring(to + end.length());
    }

    /** Where {@code marker} stands on a line of its own, from {@code from} on; -1 if nowhere. */
    private static int marker(String page, String marker, int from) {
        for (int at = page.indexOf(marker, from); at >= 0; at = page.indexOf(marker, at + 1)) {
            int after = at + marker.length();
            if ((at == 0 || page.charAt(at - 1) == '\n') && (after == page.length() || page.charAt(after) == '\n')) {
                return at;
            }
        }
        return -1;
    }
}
