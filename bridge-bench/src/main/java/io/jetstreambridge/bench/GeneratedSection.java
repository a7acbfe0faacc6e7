package io.jetstreambridge.bench;

/**
 * A generated part of a hand-written page, between {@code <!-- name:begin -->} and {@code <!-- name:end -->}:
 * replaced in place, so the text around it and other generated parts stay as they are.
 */
final class GeneratedSection {

    private GeneratedSection() {
    }

    static String begin(String name) {
        return "<!-- " + name + ":begin -->";
    }

    static String end(String name) {
        return "<!-- " + name + ":end -->";
    }

    /** The page with the section's content replaced, or the section added at the end when the page has none. */
    static String replace(String page, String name, String content) {
        String begin = begin(name);
        String end = end(name);
        String body = content.endsWith("\n") ? content : content + "\n";
        int from = page.indexOf(begin);
        int to = page.indexOf(end);
        if (from < 0 || to < from) {
            String separator = page.isEmpty() || page.endsWith("\n\n") ? "" : page.endsWith("\n") ? "\n" : "\n\n";
            return page + separator + begin + "\n" + body + end + "\n";
        }
        return page.substring(0, from + begin.length()) + "\n" + body + page.substring(to);
    }
}
