package io.firstvisit.problem;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The words of every problem, in every {@link Language}: {@code problems/<tag>.properties} (UTF-8). A problem's
 * title is {@code title.<code>} (one per type, as RFC 9457 asks); its detail is {@code detail.<key>}, a
 * {@link MessageFormat} pattern whose arguments the code passes as text. Both files must hold the same keys, and
 * each key the same arguments: checked when the class loads, so a missing translation stops the service at start
 * instead of reaching a parent.
 */
public final class ProblemTexts {

    static final String RESOURCE = "problems/%s.properties";
    private static final Map<Language, Map<String, String>> PATTERNS = load();
    /** Texts without arguments, formatted once (a sold-out answer formats nothing). */
    private static final Map<Language, Map<String, String>> FIXED = fixed();

    private ProblemTexts() {
    }

    public static String title(Language language, String code) {
        return text(language, "title." + code, NO_ARGS);
    }

    public static String detail(Language language, String key, Object[] args) {
        return text(language, "detail." + key, args);
    }

    /** Whether a detail key exists: {@link Problem} refuses to be built with one that does not. */
    static boolean hasDetail(String key) {
        return PATTERNS.get(Language.EN).containsKey("detail." + key);
    }

    static boolean hasTitle(String code) {
        return PATTERNS.get(Language.EN).containsKey("title." + code);
    }

    /** Every key, for tests that walk the catalogue. */
    public static Set<String> keys() {
        return new TreeSet<>(PATTERNS.get(Language.EN).keySet());
    }

    private static final Object[] NO_ARGS = new Object[0];

    private static String text(Language language, String key, Object[] args) {
        if (args.length == 0) {
            String fixed = FIXED.get(language).get(key);
            if (fixed != null) {
                return fixed;
            }
        }
        String pattern = PATTERNS.get(language).get(key);
        if (pattern == null) {
            throw new IllegalStateException("No problem text " + key);
        }
        Object[] texts = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            texts[i] = String.valueOf(args[i]); // no locale-dependent number or date formatting: values read as sent
        }
        return new MessageFormat(pattern, language.locale()).format(texts);
    }

    private static Map<Language, Map<String, String>> load() {
        Map<Language, Map<String, String>> all = new EnumMap<>(Language.class);
        for (Language language : Language.values()) {
            all.put(language, read(String.format(RESOURCE, language.tag())));
        }
        Set<String> reference = all.get(Language.EN).keySet();
        for (Language language : Language.values()) {
            Map<String, String> texts = all.get(language);
            if (!texts.keySet().equals(reference)) {
                Set<String> differ = new TreeSet<>(reference);
                differ.addAll(texts.keySet());
                differ.removeIf(k -> reference.contains(k) && texts.containsKey(k));
                throw new IllegalStateException("problems/" + language.tag() + ".properties and problems/en.properties differ in " + differ);
            }
            for (String key : reference) {
                if (arguments(texts.get(key), language) != arguments(all.get(Language.EN).get(key), Language.EN)) {
                    throw new IllegalStateException("problems/" + language.tag() + ".properties: " + key + " takes other arguments than in en");
                }
            }
        }
        return all;
    }

    private static Map<Language, Map<String, String>> fixed() {
        Map<Language, Map<String, String>> all = new EnumMap<>(Language.class);
        PATTERNS.forEach((language, patterns) -> {
            Map<String, String> texts = new HashMap<>();
            patterns.forEach((key, pattern) -> {
                if (arguments(pattern, language) == 0) {
                    texts.put(key, new MessageFormat(pattern, language.locale()).format(NO_ARGS));
                }
            });
            all.put(language, Map.copyOf(texts));
        });
        return all;
    }

    private static int arguments(String pattern, Language language) {
        return new MessageFormat(pattern, language.locale()).getFormatsByArgumentIndex().length;
    }

    private static Map<String, String> read(String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (loader != null ? loader : ProblemTexts.class.getClassLoader()).getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + resource);
            }
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> texts = new HashMap<>();
            properties.stringPropertyNames().forEach(name -> texts.put(name, properties.getProperty(name)));
            return Map.copyOf(texts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
