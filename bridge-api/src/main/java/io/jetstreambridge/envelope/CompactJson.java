package io.jetstreambridge.envelope;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Map;

/**
 * Compact JSON text exactly as a JSON-P generator writes it (and as the Ruby gem does for the envelope): no spaces;
 * in strings {@code "} and {@code \} escaped, the control characters with their short escapes or <code>&#92;u00XX</code>,
 * everything else as it is; numbers as {@link jakarta.json.JsonNumber#toString()}. Written by hand because a
 * generator per envelope, with its character-by-character escaping, was a fifth of a publish's own work.
 */
final class CompactJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CompactJson() {
    }

    /** @throws LoneSurrogate when the string holds half a surrogate pair: UTF-8 cannot encode it */
    static void string(StringBuilder out, String value) {
        out.append('"');
        int length = value.length();
        int plain = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && (c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)) {
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++; // a pair: one astral character, written as it is
                    continue;
                }
                throw new LoneSurrogate(value, i);
            }
            out.append(value, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(value, plain, length).append('"');
    }

    static void value(StringBuilder out, JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonValue> entry : ((JsonObject) value).entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    try {
                        string(out, entry.getKey());
                        out.append(':');
                        value(out, entry.getValue());
                    } catch (LoneSurrogate e) {
                        throw e.in("." + entry.getKey());
                    }
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                int index = 0;
                for (JsonValue item : (JsonArray) value) {
                    if (index > 0) {
                        out.append(',');
                    }
                    try {
                        value(out, item);
                    } catch (LoneSurrogate e) {
                        throw e.in("[" + index + "]");
                    }
                    index++;
                }
                out.append(']');
            }
            case STRING -> string(out, ((JsonString) value).getString());
            case NUMBER -> out.append(value);
            case TRUE -> out.append("true");
            case FALSE -> out.append("false");
            case NULL -> out.append("null");
        }
    }

    /** A lone surrogate found while writing; {@link #path} grows as it passes out through objects and arrays. */
    static final class LoneSurrogate extends RuntimeException {

        private static final long serialVersionUID = 1L;

        final String value;
        final int index;
        final String path;

        LoneSurrogate(String value, int index) {
            this(value, index, "");
        }

        private LoneSurrogate(String value, int index, String path) {
            super(null, null, false, false);
            this.value = value;
            this.index = index;
            this.path = path;
        }

        LoneSurrogate in(String step) {
            return new LoneSurrogate(value, index, step + path);
        }
    }
}
