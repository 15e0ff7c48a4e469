package io.firstvisit.common;

/** Shared rules for free text in request bodies. */
public final class Text {

    /**
     * Names and titles: printable text only — no control or format characters, no line or paragraph
     * separators, no lone surrogates (they break every system downstream that prints a name).
     */
    public static final String PRINTABLE = "^[^\\p{Cntrl}\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}]*$";
    public static final String PRINTABLE_MESSAGE = "must not contain control characters";
    /** Hospital and department codes as seeded: upper-case letters, digits and underscores. */
    public static final String CODE = "^[A-Z][A-Z0-9_]{0,31}$";
    public static final String CODE_MESSAGE = "must be a code like BCH or DERMATOLOGY";

    /** Space of any kind: Unicode separators (U+00A0, U+3000, ...) and the ASCII and Java whitespace characters. */
    private static final java.util.regex.Pattern SPACE = java.util.regex.Pattern.compile("[\\p{Z}\\s]+");
    private static final java.util.regex.Pattern EDGE_SPACE = java.util.regex.Pattern.compile("^[\\p{Z}\\s]+|[\\p{Z}\\s]+$");

    private Text() {
    }

    /** True when {@code text} is only space of some kind: a name of no-break and ideographic spaces is no name. */
    public static boolean isBlank(String text) {
        return text == null || text.isEmpty() || SPACE.matcher(text).matches();
    }

    /** {@code text} without space of any kind at either end (String.strip() keeps U+00A0). */
    public static String trim(String text) {
        return EDGE_SPACE.matcher(text).replaceAll("");
    }
}
