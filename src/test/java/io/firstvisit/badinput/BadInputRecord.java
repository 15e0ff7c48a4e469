package io.firstvisit.badinput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the hostile-request table got back, row by row, written to {@link #RESULTS} when the table has
 * run, so that docs/reliability.md reports "5xx on bad input" as measured (the fault scenarios render
 * the document after the unit tests, in the same {@code ./mvnw verify}).
 */
public final class BadInputRecord {

    public static final Path RESULTS = Path.of("target", "badinput", "results.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One row's answer; {@code clean} is whether it passed every check of {@link Refusal}. */
    private record Row(String name, String route, int status, boolean problemJson, boolean clean) {
    }

    private static final List<Row> ROWS = new ArrayList<>();
    /** The fixed segments of the v1 routes; any other segment is an id. */
    private static final java.util.Set<String> ROUTE_WORDS = java.util.Set.of("admin", "bookings", "doctors", "history", "hospitals",
            "patients", "slots");

    private BadInputRecord() {
    }

    static synchronized void add(HostileRequest row, RawHttp.Reply reply, boolean clean) {
        String contentType = reply.header("content-type");
        ROWS.add(new Row(row.name(), route(row), reply.status(),
                contentType != null && contentType.startsWith("application/problem+json"), clean));
    }

    /** Writes the table's record; {@code slotUntouched}: the fixture slot kept every place after the whole table. */
    static synchronized void write(boolean slotUntouched) {
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, Integer> routes = new TreeMap<>();
        Map<String, Integer> withoutBody = new TreeMap<>();
        List<String> failed = new ArrayList<>();
        int serverErrors = 0;
        int problems = 0;
        for (Row row : ROWS) {
            statuses.merge(Integer.toString(row.status()), 1, Integer::sum);
            routes.merge(row.route(), 1, Integer::sum);
            serverErrors += row.status() >= 500 ? 1 : 0;
            if (row.problemJson()) {
                problems++;
            } else {
                withoutBody.merge(Integer.toString(row.status()), 1, Integer::sum);
            }
            if (!row.clean()) {
                failed.add(row.name());
            }
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("ranAt", Instant.now().toString());
        record.put("rows", ROWS.size());
        record.put("serverErrors", serverErrors);
        record.put("problemJson", problems);
        record.put("statusOnlyByStatus", withoutBody);
        record.put("statuses", statuses);
        record.put("routes", routes);
        record.put("failed", failed);
        record.put("slotUntouched", slotUntouched);
        try {
            Files.createDirectories(RESULTS.getParent());
            JSON.writeValue(RESULTS.toFile(), record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "POST /api/v1/bookings": the row's method and path, ids and query left out. */
    private static String route(HostileRequest row) {
        String path = row.target();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        String[] segments = path.split("/", -1);
        StringBuilder template = new StringBuilder();
        for (int i = 1; i < segments.length; i++) {
            template.append('/').append(i <= 2 || ROUTE_WORDS.contains(segments[i]) ? segments[i] : "{id}");
        }
        return row.method() + " " + (template.isEmpty() ? "/" : template);
    }

}
