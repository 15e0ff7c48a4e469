package io.firstvisit.problem;

import java.util.Locale;

/**
 * The languages FirstVisit answers in. The pilot's parents read zh-CN, the default; {@code en} is for everyone
 * else. A request picks one with {@code Accept-Language}: the first range, by weight, whose primary language we
 * have ({@code zh}, {@code zh-TW}, {@code zh-Hans-CN} all read zh-CN; {@code en-GB} reads en). Anything else, an
 * unreadable header included, gets the configured default: a wrong header never costs the parent an answer.
 */
public enum Language {
    ZH_CN("zh-CN", Locale.SIMPLIFIED_CHINESE),
    EN("en", Locale.ENGLISH);

    /** Headers longer than this are not parsed (a client cannot make us parse a megabyte of ranges). */
    private static final int MAX_HEADER = 256;

    private final String tag;
    private final Locale locale;

    Language(String tag, Locale locale) {
        this.tag = tag;
        this.locale = locale;
    }

    /** The BCP 47 tag, as sent in {@code Content-Language}. */
    public String tag() {
        return tag;
    }

    public Locale locale() {
        return locale;
    }

    /** The tag as configured ("zh-CN", "en", case-insensitive); an unknown one is a configuration error. */
    public static Language ofTag(String tag) {
        for (Language language : values()) {
            if (language.tag.equalsIgnoreCase(tag.strip())) {
                return language;
            }
        }
        throw new IllegalArgumentException("Unsupported language '" + tag + "' (supported: zh-CN, en)");
    }

    /** The language an {@code Accept-Language} header asks for, or {@code fallback}. */
    public static Language accepted(String header, Language fallback) {
        if (header == null || header.isBlank() || header.length() > MAX_HEADER) {
            return fallback;
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                if (range.getWeight() == 0) {
                    continue;
                }
                String primary = primary(range.getRange());
                if (primary.equals("*")) {
                    return fallback;
                }
                for (Language language : values()) {
                    if (language.locale.getLanguage().equals(primary)) {
                        return language;
                    }
                }
            }
        } catch (IllegalArgumentException unreadable) {
            return fallback;
        }
        return fallback;
    }

    private static String primary(String range) {
        int dash = range.indexOf('-');
        return (dash < 0 ? range : range.substring(0, dash)).toLowerCase(Locale.ROOT);
    }
}
