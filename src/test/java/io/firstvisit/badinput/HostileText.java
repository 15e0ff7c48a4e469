package io.firstvisit.badinput;

import java.util.Map;

/**
 * Free text that the printable-text rule (no control characters, no line breaks) must refuse: C0 and C1
 * controls, invisible format characters that hide or reorder text, Unicode line breaks, and lone
 * surrogates, which are not text at all and cannot be stored as UTF-8.
 */
final class HostileText {

    static final Map<String, String> NAMES = HostileRequest.byLabel(
            "a NUL", "Dr\u0000X",
            "a newline", "Dr\nX",
            "CR LF", "Dr\r\nX",
            "a tab", "Dr\tX",
            "an ANSI escape", "\u001b[31mDr",
            "DEL", "Dr\u007f",
            "a C1 control (NEL)", "Dr\u0085X",
            "a zero-width space", "Dr\u200bX",
            "a right-to-left override", "Dr\u202eX",
            "a byte-order mark", "\ufeffDr",
            "a LINE SEPARATOR U+2028", "Dr\u2028X",
            "a PARAGRAPH SEPARATOR U+2029", "Dr\u2029X",
            "a lone high surrogate", "Dr\ud800",
            "a lone low surrogate", "Dr\udc00X");

    private HostileText() {
    }
}
