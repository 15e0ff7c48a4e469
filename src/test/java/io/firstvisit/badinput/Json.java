package io.firstvisit.badinput;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * JSON written by hand, because the point is to write JSON no serializer would: a valid object is a map
 * of member name to raw JSON text, and each case swaps, drops or adds one member.
 */
final class Json {

    private Json() {
    }

    /** An object from name/raw-value pairs, in order. */
    static Map<String, String> object(String... namesAndRawValues) {
        Map<String, String> members = new LinkedHashMap<>();
        for (int i = 0; i < namesAndRawValues.length; i += 2) {
            members.put(namesAndRawValues[i], namesAndRawValues[i + 1]);
        }
        return members;
    }

    static String render(Map<String, String> members) {
        return members.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    static String with(Map<String, String> members, String name, String rawValue) {
        Map<String, String> changed = new LinkedHashMap<>(members);
        changed.put(name, rawValue);
        return render(changed);
    }

    static String without(Map<String, String> members, String name) {
        Map<String, String> changed = new LinkedHashMap<>(members);
        changed.remove(name);
        return render(changed);
    }

    /**
     * A JSON string literal. Control characters, C1 controls and surrogates are written as {@code \\uXXXX}
     * escapes so that a lone surrogate reaches the server as such instead of as a '?' from UTF-8 encoding.
     */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
