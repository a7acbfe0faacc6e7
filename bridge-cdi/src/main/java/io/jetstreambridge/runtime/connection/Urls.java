package io.jetstreambridge.runtime.connection;

import java.util.regex.Pattern;

/** Removes credentials that a NATS URL may carry ({@code nats://user:pass@host}) before it is logged. */
public final class Urls {

    private static final Pattern USER_INFO = Pattern.compile("(^[a-zA-Z]+://)[^@/]*@");

    private Urls() {
    }

    public static String redact(String url) {
        return USER_INFO.matcher(url).replaceFirst("$1***@");
    }
}
