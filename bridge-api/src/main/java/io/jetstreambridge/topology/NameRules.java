package io.jetstreambridge.topology;

import java.util.Optional;

/**
 * The wire contract's rules for app names, destinations and stream names. Each check returns what is wrong, or
 * nothing, so that configuration validation can collect every problem before reporting.
 */
public final class NameRules {

    /** Longest app name or destination the contract allows. */
    public static final int MAX_LENGTH = 255;

    /** Destination name that would collide with the dead-letter subject {@code {app}.sync.dlq}. */
    public static final String RESERVED_DESTINATION = "dlq";

    public static final String TOKEN_ALLOWED = "1 to " + MAX_LENGTH
            + " characters without '.', '*', '>', whitespace or control characters";

    private NameRules() {
    }

    /** An app name or destination is one subject token: {@code {app}.sync.{destination}}. */
    public static Optional<String> checkToken(String value) {
        Optional<String> length = checkLength(value);
        if (length.isPresent()) {
            return length;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '.' || c == '*' || c == '>') {
                return Optional.of("contains '" + c + "', which would change the subject's tokens");
            }
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                return Optional.of("contains whitespace or a control character at position " + i);
            }
        }
        return Optional.empty();
    }

    /** A destination is a token that is not {@value #RESERVED_DESTINATION}. */
    public static Optional<String> checkDestination(String value) {
        Optional<String> token = checkToken(value);
        if (token.isPresent()) {
            return token;
        }
        if (RESERVED_DESTINATION.equals(value)) {
            return Optional.of("'dlq' is reserved: {app}.sync.dlq is the dead-letter subject");
        }
        return Optional.empty();
    }

    /** JetStream stream names may not contain subject wildcards, separators or path characters. */
    public static Optional<String> checkStreamName(String value) {
        Optional<String> length = checkLength(value);
        if (length.isPresent()) {
            return length;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '.' || c == '*' || c == '>' || c == '/' || c == '\\'
                    || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return Optional.of("contains '" + printable(c) + "': stream names allow no '.', '*', '>', "
                        + "'/', '\\', whitespace or control characters");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> checkLength(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            return Optional.of("is " + value.length() + " characters long, at most " + MAX_LENGTH + " allowed");
        }
        return Optional.empty();
    }

    private static String printable(char c) {
        return Character.isISOControl(c) || Character.isWhitespace(c) ? String.format("\\u%04x", (int) c)
                : String.valueOf(c);
    }
}
