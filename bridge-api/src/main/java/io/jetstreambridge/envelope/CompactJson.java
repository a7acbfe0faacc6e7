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

    static void string(StringBuilder out, String value) {
        out.append('"');
        int length = value.length();
        int plain = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
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
                    string(out, entry.getKey());
                    out.append(':');
                    value(out, entry.getValue());
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                boolean first = true;
                for (JsonValue item : (JsonArray) value) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    value(out, item);
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
}
