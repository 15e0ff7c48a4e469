package io.firstvisit.faults.harness;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The measured outcome of one run of one scenario: the table's numbers, free-form details, and every
 * check with what was expected and what was seen. It is recorded (and rendered into
 * docs/reliability.md) BEFORE anything is asserted, so a failing run is documented too.
 */
public final class Outcome {

    /** The table's columns, in order. Values are numbers, or null for "does not apply". */
    public static final List<String> COLUMNS = List.of("attempts", "201", "409", "503", "no answer", "timed out",
            "unexpected", "p99 in fault (ms)", "oversold", "lost 201s", "rows without 201", "recovery (s)", "settled (s)");

    public record Check(String name, String expected, String actual, boolean held) {
    }

    private final int order;
    private final String scenario;
    private final String title;
    private final String itClass;
    private final String injected;
    private final Instant startedAt = Instant.now();
    private final Map<String, Object> columns = new LinkedHashMap<>();
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final List<Check> checks = new ArrayList<>();

    public Outcome(int order, String scenario, String title, Class<?> itClass, String injected) {
        this.order = order;
        this.scenario = scenario;
        this.title = title;
        this.itClass = itClass.getSimpleName();
        this.injected = injected;
        COLUMNS.forEach(c -> columns.put(c, null));
    }

    public Outcome column(String name, Object value) {
        if (!columns.containsKey(name)) {
            throw new IllegalArgumentException("No column " + name);
        }
        columns.put(name, value);
        return this;
    }

    public Outcome detail(String name, Object value) {
        details.put(name, value);
        return this;
    }

    public boolean check(String name, boolean held, String expected, Object actual) {
        checks.add(new Check(name, expected, String.valueOf(actual), held));
        return held;
    }

    public List<Check> failed() {
        return checks.stream().filter(c -> !c.held()).toList();
    }

    public Map<String, Object> toJson(double wallSeconds) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("order", order);
        json.put("scenario", scenario);
        json.put("title", title);
        json.put("itClass", itClass);
        json.put("injected", injected);
        json.put("startedAt", startedAt.toString());
        json.put("wallSeconds", Math.round(wallSeconds * 10) / 10.0);
        json.put("passed", failed().isEmpty());
        json.put("columns", columns);
        json.put("details", details);
        json.put("checks", checks.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("expected", c.expected());
            m.put("actual", c.actual());
            m.put("held", c.held());
            return m;
        }).toList());
        return json;
    }

    /** Fails the test with every check that did not hold (not just the first). */
    public void assertAllHeld() {
        List<Check> failed = failed();
        if (!failed.isEmpty()) {
            fail(title + ": " + failed.size() + " check(s) did not hold (logs: target/faults/" + scenario + "/):\n"
                    + failed.stream().map(c -> "  - " + c.name() + ": expected " + c.expected() + ", was " + c.actual())
                    .collect(Collectors.joining("\n")));
        }
    }

    public String scenario() {
        return scenario;
    }
}
