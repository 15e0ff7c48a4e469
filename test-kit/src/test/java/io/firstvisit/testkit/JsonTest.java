package io.firstvisit.testkit;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {

    @Test
    void writesWhatTheSetUpSends() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Dr. \"Li\" \\ Na\n\u0001");
        body.put("capacity", 20);
        body.put("firstVisitQualified", true);
        body.put("fee", null);
        body.put("releaseAt", OffsetDateTime.parse("2027-01-01T08:00:00+08:00"));
        body.put("slots", List.of(Map.of("capacity", 1L), List.of()));
        assertEquals("{\"name\":\"Dr. \\\"Li\\\" \\\\ Na\\n\\u0001\",\"capacity\":20,\"firstVisitQualified\":true,\"fee\":null,"
                + "\"releaseAt\":\"2027-01-01T08:00+08:00\",\"slots\":[{\"capacity\":1},[]]}", Json.write(body));
    }

    @Test
    void readsWhatTheServiceAnswers() {
        Map<String, Object> answer = Json.parseObject(" { \"id\" : \"7f0c\", \"slots\": [ {\"capacity\": 5, \"fee\": 50.5e1},"
                + " {\"open\": false, \"note\": null} ], \"name\": \"\\u5317\\u4eac \\\"BCH\\\"\\/\\n\", \"n\": -3 } ");
        assertEquals(List.of("id", "slots", "name", "n"), List.copyOf(answer.keySet()), "member order is kept");
        assertEquals("7f0c", answer.get("id"));
        assertEquals("北京 \"BCH\"/\n", answer.get("name"));
        assertEquals(new BigDecimal("-3"), answer.get("n"));
        List<?> slots = (List<?>) answer.get("slots");
        assertEquals(5, ((Number) ((Map<?, ?>) slots.get(0)).get("capacity")).intValue());
        assertEquals(505, ((Number) ((Map<?, ?>) slots.get(0)).get("fee")).intValue());
        Map<String, Object> second = new LinkedHashMap<>();
        second.put("open", false);
        second.put("note", null);
        assertEquals(second, slots.get(1));
    }

    @Test
    void whatItWritesItReadsBack() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "tab\tquote\" backslash\\ 中文 \u001f");
        value.put("list", Arrays.asList(new BigDecimal("1"), "two", null, true, List.of()));
        value.put("empty", Map.of());
        assertEquals(value, Json.parse(Json.write(value)));
    }

    @Test
    void refusesWhatIsNotJson() {
        for (String text : List.of("", "{", "{\"a\" 1}", "[1,]", "[1 2]", "\"open", "{\"a\":1} x", "nul", "\"\\x\"", "{1:2}")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(text), text);
        }
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseArray("{}"));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
