package io.firstvisit.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;

/**
 * The one way test code sets up a release through the public API, as a scheduler and parents would: register a
 * doctor, publish slots (first-come or through the waiting room, free or with a fee), add children, and read a
 * slot's counts back. Blocking, on java.net.http and the JDK alone, so the service's tests, the fault harness, the
 * Gatling set-up and the bench (JDK single-file launcher) all use it. It does not assert: a set-up step that gets
 * another answer than the one it needs throws {@link UnexpectedAnswer}.
 */
public final class FirstVisitClient {

    /** Hospital time: slot dates are calendar dates in Beijing. */
    public static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);

    static {
        // The service closes a connection idle for 15 s (quarkus.http.idle-timeout). A pooled connection that the client
        // picks up at the instant the server closes it fails a POST with "header parser received no bytes", and the JDK
        // client does not retry a POST. Closing idle connections on this side first, well before the server does, leaves
        // no such race. Read when java.net.http's pool starts, so before any client is built; a value set by whoever
        // runs the JVM wins.
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", "5");
        }
    }
    /** The API takes 1..500 slots per publication; {@link #publish} splits larger ones. */
    public static final int MAX_SLOTS_PER_PUBLICATION = 500;

    private final String baseUrl;
    private final HttpClient http;
    private final Duration requestTimeout;

    /** A client whose requests time out after 30 s (connecting: 5 s). */
    public FirstVisitClient(String baseUrl) {
        this(baseUrl, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build(),
                Duration.ofSeconds(30));
    }

    private FirstVisitClient(String baseUrl, HttpClient http, Duration requestTimeout) {
        this.baseUrl = baseUrl;
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    /** The same client (and connections) with another request timeout: a probe of a service under a fault waits less. */
    public FirstVisitClient withTimeout(Duration timeout) {
        return new FirstVisitClient(baseUrl, http, timeout);
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A status and body. */
    public record Answer(int status, String body) {
        public Map<String, Object> json() {
            return Json.parseObject(body);
        }

        public String id() {
            return String.valueOf(json().get("id"));
        }
    }

    /** A set-up request that got another answer than the one it needed. */
    public static final class UnexpectedAnswer extends RuntimeException {
        private final int status;
        private final String body;

        UnexpectedAnswer(String request, int status, String body) {
            super(request + " -> " + status + " " + Json.abbreviate(body));
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }

    /** One slot to publish; {@code fee} in fen, null leaves it out (free). */
    public record SlotSpec(OffsetDateTime start, OffsetDateTime end, int capacity, Integer fee) {
        public SlotSpec withFee(int fen) {
            return new SlotSpec(start, end, capacity, fen);
        }

        /** {@code count} back-to-back slots of {@code length} on {@code date}, the first at {@code first} Beijing time. */
        public static List<SlotSpec> series(LocalDate date, LocalTime first, Duration length, int count, int capacity) {
            List<SlotSpec> slots = new ArrayList<>(count);
            OffsetDateTime start = date.atTime(first).atOffset(BEIJING);
            for (int i = 0; i < count; i++) {
                slots.add(new SlotSpec(start, start.plus(length), capacity, null));
                start = start.plus(length);
            }
            return slots;
        }

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("start", instant(start));
            json.put("end", instant(end));
            json.put("capacity", capacity);
            if (fee != null) {
                json.put("fee", fee);
            }
            return json;
        }
    }

    /**
     * A publication of one doctor's FIRST-visit slots opening at {@code releaseAt}. {@code admission} is the
     * {@code "admission"} object (for a waiting room: {@code mode QUEUE} and its numbers), or null for the
     * department-day's own (first-come unless a QUEUE release fixed it).
     */
    public record Publication(String doctorId, OffsetDateTime releaseAt, List<SlotSpec> slots, Map<String, Object> admission) {
        public static Publication firstCome(String doctorId, OffsetDateTime releaseAt, List<SlotSpec> slots) {
            return new Publication(doctorId, releaseAt, slots, null);
        }

        public Publication withAdmission(Map<String, Object> admission) {
            return new Publication(doctorId, releaseAt, slots, admission);
        }

        Map<String, Object> json(List<SlotSpec> batch) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("doctorId", doctorId);
            json.put("visitType", "FIRST");
            json.put("releaseAt", instant(releaseAt));
            json.put("slots", batch.stream().map(SlotSpec::json).toList());
            if (admission != null) {
                json.put("admission", admission);
            }
            return json;
        }
    }

    public record PublishedSlot(String id, int capacity, OffsetDateTime start) {
    }

    /** A child to add under the account the token belongs to. */
    public record NewPatient(String token, String name, LocalDate birthDate, String sex) {
    }

    /** {@code remaining} is Redis' count, {@code confirmed} PostgreSQL's. */
    public record SlotCounts(String id, int capacity, int remaining, int confirmed) {
    }

    /** GET /api/v1/hospitals: the catalogue (public). */
    public List<Object> hospitals() {
        return Json.parseArray(expect(200, send("GET", "/api/v1/hospitals", null, null), "GET /api/v1/hospitals").body());
    }

    /** POST /api/v1/admin/doctors: a new doctor ("Attending"), its id. */
    public String doctor(String schedulerToken, String hospital, String department, String name, boolean firstVisitQualified) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hospital", hospital);
        body.put("department", department);
        body.put("name", name);
        body.put("title", "Attending");
        body.put("firstVisitQualified", firstVisitQualified);
        return created("/api/v1/admin/doctors", schedulerToken, body).id();
    }

    /** POST /api/v1/admin/slots, in calls of at most 500 slots; the slots in the publication's order. */
    public List<PublishedSlot> publish(String schedulerToken, Publication publication) {
        List<PublishedSlot> published = new ArrayList<>();
        List<SlotSpec> slots = publication.slots();
        for (int from = 0; from < slots.size(); from += MAX_SLOTS_PER_PUBLICATION) {
            List<SlotSpec> batch = slots.subList(from, Math.min(slots.size(), from + MAX_SLOTS_PER_PUBLICATION));
            Answer answer = expect(201, publishOnce(schedulerToken, publication, batch), "POST /api/v1/admin/slots");
            published.addAll(publishedSlots(answer));
            if (published.size() != from + batch.size()) {
                throw new IllegalStateException("POST /api/v1/admin/slots returned " + (published.size() - from) + " slots for "
                        + batch.size() + ": " + Json.abbreviate(answer.body()));
            }
        }
        return published;
    }

    /** One POST /api/v1/admin/slots of up to 500 slots, whatever it answers (a QUEUE day already taken: 409). */
    public Answer publishOnce(String schedulerToken, Publication publication, List<SlotSpec> batch) {
        return send("POST", "/api/v1/admin/slots", schedulerToken, Json.write(publication.json(batch)));
    }

    /** The slots of a publication's 201 answer. */
    public static List<PublishedSlot> publishedSlots(Answer created) {
        List<PublishedSlot> slots = new ArrayList<>();
        for (Object element : (List<?>) created.json().get("slots")) {
            Map<?, ?> slot = (Map<?, ?>) element;
            slots.add(new PublishedSlot(String.valueOf(slot.get("id")), ((Number) slot.get("capacity")).intValue(),
                    OffsetDateTime.parse(String.valueOf(slot.get("start")))));
        }
        return slots;
    }

    /** POST /api/v1/patients as the patient's account: its id. */
    public String patient(NewPatient patient) {
        return created("/api/v1/patients", patient.token(), patientBody(patient)).id();
    }

    /** Adds the children with at most {@code inFlight} requests at a time; their ids in the same order. */
    public List<String> patients(List<NewPatient> patients, int inFlight) {
        Semaphore permits = new Semaphore(inFlight);
        List<CompletableFuture<String>> ids = new ArrayList<>(patients.size());
        try {
            for (NewPatient patient : patients) {
                permits.acquire();
                HttpRequest request = request("POST", "/api/v1/patients", patient.token(), Json.write(patientBody(patient))).build();
                ids.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .whenComplete((answer, failure) -> permits.release())
                        .thenApply(answer -> expect(201, new Answer(answer.statusCode(), answer.body()), "POST /api/v1/patients").id()));
            }
            return ids.stream().map(CompletableFuture::join).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while adding patients", e);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
        }
    }

    /** POST /api/v1/bookings as the parent, with an Idempotency-Key when {@code key} is not null; whatever it answers. */
    public Answer book(String token, String slotId, String patientId, String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("slotId", slotId);
        body.put("patientId", patientId);
        return key == null ? send("POST", "/api/v1/bookings", token, Json.write(body))
                : send("POST", "/api/v1/bookings", token, Json.write(body), "Idempotency-Key", key);
    }

    /** GET /api/v1/admin/slots/{id}. */
    public SlotCounts slotCounts(String schedulerToken, String slotId) {
        String path = "/api/v1/admin/slots/" + encode(slotId);
        Map<String, Object> slot = expect(200, send("GET", path, schedulerToken, null), "GET " + path).json();
        return new SlotCounts(String.valueOf(slot.get("id")), intOf(slot.get("capacity")), intOf(slot.get("remaining")),
                intOf(slot.get("confirmed")));
    }

    /** GET /api/v1/bookings?patientId= as the patient's account. */
    public List<Object> bookingsOf(String patientToken, String patientId) {
        String path = "/api/v1/bookings?patientId=" + encode(patientId);
        return Json.parseArray(expect(200, send("GET", path, patientToken, null), "GET " + path).body());
    }

    /** Any request; {@code headers} are name, value pairs. */
    public Answer send(String method, String path, String token, String jsonBody, String... headers) {
        HttpRequest.Builder request = request(method, path, token, jsonBody);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(answer.statusCode(), answer.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " on " + baseUrl + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
    }

    private HttpRequest.Builder request(String method, String path, String token, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(requestTimeout)
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return request;
    }

    private Answer created(String path, String token, Map<String, Object> body) {
        return expect(201, send("POST", path, token, Json.write(body)), "POST " + path + " " + Json.abbreviate(Json.write(body)));
    }

    private static Answer expect(int status, Answer answer, String request) {
        if (answer.status() != status) {
            throw new UnexpectedAnswer(request, answer.status(), answer.body());
        }
        return answer;
    }

    private static Map<String, Object> patientBody(NewPatient patient) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", patient.name());
        body.put("birthDate", patient.birthDate().toString());
        body.put("sex", patient.sex());
        return body;
    }

    /** Always with seconds ({@code OffsetDateTime.toString()} drops ":00"). */
    private static String instant(OffsetDateTime time) {
        return time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static int intOf(Object number) {
        return number instanceof Number ? ((Number) number).intValue() : -1;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
