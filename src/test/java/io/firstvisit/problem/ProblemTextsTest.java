package io.firstvisit.problem;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalogue of problem texts: complete in both languages, really translated, and every key the code names exists. */
class ProblemTextsTest {

    private static final Pattern CJK = Pattern.compile("\\p{IsHan}");

    @Test
    void everyTextIsTranslatedAndTheEnglishIsEnglish() {
        List<String> untranslated = new ArrayList<>();
        for (String key : ProblemTexts.keys()) {
            String en = text(Language.EN, key);
            String zh = text(Language.ZH_CN, key);
            if (!CJK.matcher(zh).find() || CJK.matcher(en).find() || zh.equals(en)) {
                untranslated.add(key);
            }
        }
        assertEquals(List.of(), untranslated, "keys whose zh-CN text is not Chinese or whose en text is not English");
    }

    @Test
    void everyTypeHasATitleInEachLanguage() {
        Set<String> codes = new TreeSet<>();
        ProblemTexts.keys().stream().filter(k -> k.startsWith("title.")).forEach(k -> codes.add(k.substring(6)));
        assertTrue(codes.size() >= 50, "the catalogue lists the types: " + codes);
        for (String code : codes) {
            assertNotEquals(ProblemTexts.title(Language.EN, code), ProblemTexts.title(Language.ZH_CN, code), code);
        }
    }

    @Test
    void argumentsAreFilledInAsTextInBothLanguages() {
        Problem problem = Problem.of(422, "amount-mismatch", "amount-mismatch", 12000, 1200);
        assertEquals("The booking's fee is 12000 fen, the payment 1200 fen", problem.detail(Language.EN));
        assertEquals("该预约费用为 12000 分，支付金额为 1200 分", problem.detail(Language.ZH_CN));
        assertEquals("Amount mismatch", problem.title(Language.EN));
        assertEquals("金额不符", problem.title(Language.ZH_CN));
        assertEquals(problem.detail(Language.EN), problem.getMessage(), "logs read English");
    }

    @Test
    void aProblemWithoutTextsCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> Problem.of(409, "sold-out", "no-such-detail"));
        assertThrows(IllegalArgumentException.class, () -> Problem.of(409, "no-such-type", "sold-out"));
    }

    /**
     * Every key the main code names as a literal is in the catalogue (Problem refuses unknown keys at run time; this
     * finds them before a request does). Keys composed at run time are listed with their parts.
     */
    @Test
    void everyKeyTheCodeNamesExists() throws IOException {
        Pattern literal = Pattern.compile(
                "Problem\\.of\\(\\s*[^,]+,\\s*\"([a-z-]+)\",\\s*\"([a-z.-]+)\"|"
                        + "Problem\\.(?:notFound|unavailable|rateLimited|invalidRequest)\\(\\s*\"([a-z.-]+)\"|"
                        + "invalidTransition\\([^;]*?\"(invalid-transition[a-z.-]*)\"|"
                        + "queueRequired\\(slot, \"([a-z-]+)\"|"
                        + "case EXPIRED -> \"([a-z-]+)\"|default -> \"(waiting)\"");
        Set<String> missing = new TreeSet<>();
        int found = 0;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = literal.matcher(Files.readString(file));
                while (m.find()) {
                    found++;
                    if (m.group(1) != null) {
                        check(missing, "title." + m.group(1));
                        check(missing, "detail." + m.group(2));
                    } else if (m.group(3) != null) {
                        check(missing, "detail." + m.group(3));
                    } else if (m.group(4) != null) {
                        check(missing, "detail." + m.group(4));
                    } else {
                        String why = m.group(5) != null ? m.group(5) : m.group(6) != null ? m.group(6) : m.group(7);
                        check(missing, "detail.queue-required." + why);
                    }
                }
            }
        }
        assertTrue(found > 60, "the scan finds the code's problems (" + found + ")");
        for (String reason : List.of("same-slot", "other-department", "other-visit-type", "other-fee")) {
            check(missing, "detail.invalid-target." + reason);
        }
        for (String reason : List.of("age", "no-prior-visit", "already-seen", "follow-up-of-on-first-slot", "follow-up-of-unknown",
                "follow-up-of-not-completed", "follow-up-of-other-department", "follow-up-of-outside-window")) {
            check(missing, "detail.not-eligible." + reason);
        }
        for (String refused : List.of("hold-expired", "already-paid")) {
            check(missing, "title." + refused);
            check(missing, "detail." + refused);
        }
        assertEquals(Set.of(), missing);
        assertFalse(ProblemTexts.keys().isEmpty());
    }

    private static void check(Set<String> missing, String key) {
        if (key.endsWith(".")) {
            return; // composed at run time ("invalid-target." + reason): its parts are listed above
        }
        if (!ProblemTexts.keys().contains(key)) {
            missing.add(key);
        }
    }

    private static String text(Language language, String key) {
        return key.startsWith("title.") ? ProblemTexts.title(language, key.substring(6))
                : ProblemTexts.detail(language, key.substring(7), new Object[]{"A", "B", "C", "D"});
    }
}
