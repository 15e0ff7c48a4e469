package io.firstvisit.common;

/** Shared rules for free text in request bodies. */
public final class Text {

    /** Names and titles: printable text only (no control characters, no line breaks). */
    public static final String PRINTABLE = "^[^\\p{Cntrl}\\p{Cc}\\p{Cf}]*$";
    public static final String PRINTABLE_MESSAGE = "must not contain control characters";
    /** Hospital and department codes as seeded: upper-case letters, digits and underscores. */
    public static final String CODE = "^[A-Z][A-Z0-9_]{0,31}$";
    public static final String CODE_MESSAGE = "must be a code like BCH or DERMATOLOGY";

    private Text() {
    }
}
