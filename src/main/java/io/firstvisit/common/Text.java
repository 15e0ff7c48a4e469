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

    private Text() {
    }
}
