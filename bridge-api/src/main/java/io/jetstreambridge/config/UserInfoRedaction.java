package io.jetstreambridge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that masks credentials inside URLs ({@code nats://user:password@host} becomes
 * {@code nats://******@host}) for every exception text, log line, health value and command-line output.
 *
 * <p>The user info runs from after {@code scheme://} to the <em>last</em> {@code @} of the URL, so a password
 * holding a raw {@code /} or {@code @} (which a URL parser would split elsewhere) is masked whole. The price is that
 * an {@code @} in a path ({@code ws://host/path@x}) masks the host too: a NATS URL has no use for one, and masking
 * too much never leaks.
 */
public final class UserInfoRedaction {

    public static final String MASK = "******";

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");

    private UserInfoRedaction() {
    }

    /**
     * Free text (an exception message, a jnats error) with the user info of every {@code scheme://} URL in it
     * masked. Inside text a URL ends at whitespace, a comma, a quote or an angle bracket: characters a URL the
     * configuration accepted cannot hold.
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        Matcher scheme = SCHEME.matcher(text);
        int copied = 0;
        int from = 0;
        while (from < text.length() && scheme.find(from)) {
            int start = scheme.end();
            int end = start;
            while (end < text.length() && !endsUrlInText(text.charAt(end))) {
                end++;
            }
            int at = text.lastIndexOf('@', end - 1);
            if (at >= start) {
                out.append(text, copied, start).append(MASK);
                copied = at;
            }
            from = Math.max(end, start);
        }
        return out.append(text, copied, text.length()).toString();
    }

    /**
     * A comma-separated list of server URLs as configured (the scheme may be missing, as jnats allows), each with
     * its user info ({@code user:password@} or {@code token@}) masked.
     */
    public static String redactUrls(String urls) {
        List<String> redacted = new ArrayList<>();
        for (String url : urls.split(",", -1)) {
            int start = authorityStart(url);
            int at = url.lastIndexOf('@');
            redacted.add(at >= start ? url.substring(0, start) + MASK + url.substring(at) : url);
        }
        return String.join(",", redacted);
    }

    /** The raw user info of one configured URL ({@code user:password} or a token), if it has one. */
    static Optional<String> userInfo(String url) {
        int start = authorityStart(url);
        int at = url.lastIndexOf('@');
        return at > start ? Optional.of(url.substring(start, at)) : Optional.empty();
    }

    private static int authorityStart(String url) {
        int scheme = url.indexOf("://");
        return scheme < 0 ? 0 : scheme + 3;
    }

    private static boolean endsUrlInText(char c) {
        return Character.isWhitespace(c) || c == ',' || c == '"' || c == '<' || c == '>';
    }
}
