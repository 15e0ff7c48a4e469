package io.firstvisit.problem;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LanguageTest {

    @ParameterizedTest(name = "[{0}] reads {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL                      | zh-CN",
            "''                        | zh-CN",
            "zh-CN                     | zh-CN",
            "zh                        | zh-CN",
            "zh-TW                     | zh-CN",
            "zh-Hans-CN                | zh-CN",
            "en                        | en",
            "EN-gb                     | en",
            "en-US,en;q=0.9,zh;q=0.8   | en",
            "zh-CN,zh;q=0.9,en;q=0.8   | zh-CN",
            "fr                        | zh-CN",
            "fr-FR, en;q=0.5           | en",
            "en;q=0.2, zh;q=0.9        | zh-CN",
            "en;q=0, zh                | zh-CN",
            "en;q=0                    | zh-CN",
            "*                         | zh-CN",
            "!!!, <script>             | zh-CN",
            "en;q=2                    | zh-CN",
    })
    void theFirstRangeWeHaveByWeightElseTheDefault(String header, String expected) {
        assertEquals(expected, Language.accepted(header, Language.ZH_CN).tag());
    }

    @ParameterizedTest
    @CsvSource({"fr,en", "'',en", "de-CH,en"})
    void theDefaultIsConfigurable(String header, String expected) {
        assertEquals(expected, Language.accepted(header, Language.EN).tag());
    }

    @ParameterizedTest
    @CsvSource({"zh-CN,zh-CN", "ZH-cn,zh-CN", "en,en", "' en ',en"})
    void configuredTags(String tag, String expected) {
        assertEquals(expected, Language.ofTag(tag).tag());
    }

    @org.junit.jupiter.api.Test
    void anUnknownConfiguredTagIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Language.ofTag("fr"));
    }

    @org.junit.jupiter.api.Test
    void aHugeHeaderIsNotParsed() {
        assertEquals("zh-CN", Language.accepted("en," + "x-y;q=0.1,".repeat(100), Language.ZH_CN).tag());
    }
}
