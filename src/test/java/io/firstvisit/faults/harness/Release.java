package io.firstvisit.faults.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstvisit.support.Tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A release minute set up through the public API, as the README walk-through does: a scheduler
 * registers a doctor and publishes small slots that are already open, and every parent in the crowd
 * adds one child under their own account. A separate probe slot (same department-day, so it shares
 * the fate of the surge's inventory) measures when bookings resume after a fault.
 */
public final class Release {

    public static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One parent with one child, and the token the parent's app sends. */
    public record Parent(String account, String token, String patientId) {
    }

    /** @param departmentDay the inventory's hash tag, {@code HOSPITAL:DEPARTMENT:DATE} */
    public record PublishedSlot(String id, int capacity, String departmentDay) {
    }

    private static final String HOSPITAL = "BCH";
    private static final String DEPARTMENT = "DERMATOLOGY";

    private final LocalDate date;
    private final List<PublishedSlot> slots;
    private final PublishedSlot probeSlot;
    private final List<Parent> crowd;
    private final List<Parent> probeParents;

    private Release(LocalDate date, List<PublishedSlot> slots, PublishedSlot probeSlot, List<Parent> crowd, List<Parent> probeParents) {
        this.date = date;
        this.slots = slots;
        this.probeSlot = probeSlot;
        this.crowd = crowd;
        this.probeParents = probeParents;
    }

    /**
     * Publishes {@code slotCount} slots of {@code capacity} at BCH DERMATOLOGY a week from now, a probe
     * slot of {@code probeCapacity}, and creates {@code crowdSize} + {@code probeParents} parents.
     */
    public static Release publish(String baseUrl, String scenario, int slotCount, int capacity, int crowdSize,
                                  int probeCapacity, int probeParents) {
        return publish(baseUrl, scenario, List.of(LocalDate.now(BEIJING).plusDays(7)), slotCount, capacity, crowdSize, probeCapacity, probeParents);
    }

    /**
     * The same over several department-days (one per date, so one inventory hash tag each): {@code slotsPerDay}
     * slots on every date, interleaved day by day in {@link #slots()}; the probe slot is on the first date.
     */
    public static Release publish(String baseUrl, String scenario, List<LocalDate> dates, int slotsPerDay, int capacity,
                                  int crowdSize, int probeCapacity, int probeParents) {
        LocalDate date = dates.get(0);
        String doctor = doctor(baseUrl, HOSPITAL, DEPARTMENT);
        List<List<PublishedSlot>> perDay = dates.stream().map(d -> publishSlots(baseUrl, doctor, d, 0, slotsPerDay, capacity)).toList();
        List<PublishedSlot> slots = new ArrayList<>();
        for (int i = 0; i < slotsPerDay; i++) {
            for (List<PublishedSlot> day : perDay) {
                slots.add(day.get(i));
            }
        }
        PublishedSlot probe = publishSlots(baseUrl, doctor, date, slotsPerDay, 1, probeCapacity).get(0);
        List<Parent> parents = parents(baseUrl, scenario + "-parent-", crowdSize + probeParents);
        return new Release(date, slots, probe, parents.subList(0, crowdSize), parents.subList(crowdSize, parents.size()));
    }

    /**
     * Books {@code count} places in another department, so the booking path's classes are loaded and
     * compiled before the measured surge (the first requests of a fresh JVM are ten times slower).
     */
    public static void warmUp(String baseUrl, String scenario, int count) {
        LocalDate date = LocalDate.now(BEIJING).plusDays(8);
        String slot = publishSlots(baseUrl, doctor(baseUrl, "BCH", "NUTRITION"), date, 0, 1, count).get(0).id();
        for (Parent parent : parents(baseUrl, scenario + "-warmup-", count)) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/bookings"))
                    .header("Authorization", "Bearer " + parent.token()).header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"slotId\":\"" + slot + "\",\"patientId\":\"" + parent.patientId() + "\"}"))
                    .build());
            if (answer.statusCode() != 201) {
                throw new IllegalStateException("Warm-up booking answered " + answer.statusCode() + ": " + answer.body());
            }
        }
    }

    public LocalDate date() {
        return date;
    }

    /** The department-day of the probe slot (the only one, unless published over several dates). */
    public String departmentDay() {
        return departmentDay(date);
    }

    /** Every department-day of this release, the probe's first. */
    public List<String> departmentDays() {
        return allSlots().stream().map(PublishedSlot::departmentDay).distinct().sorted(
                java.util.Comparator.comparing((String day) -> !day.equals(departmentDay()))).toList();
    }

    public static String departmentDay(LocalDate date) {
        return HOSPITAL + ":" + DEPARTMENT + ":" + date;
    }

    public List<PublishedSlot> slots() {
        return slots;
    }

    public PublishedSlot probeSlot() {
        return probeSlot;
    }

    /** The surge slots and the probe slot: everything the invariants are checked on. */
    public List<PublishedSlot> allSlots() {
        List<PublishedSlot> all = new ArrayList<>(slots);
        all.add(probeSlot);
        return all;
    }

    public List<Parent> crowd() {
        return crowd;
    }

    public List<Parent> probeParents() {
        return probeParents;
    }

    public int seats() {
        return slots.stream().mapToInt(PublishedSlot::capacity).sum();
    }

    /** GET /api/v1/admin/slots/{id}: {@code remaining} (Redis) and {@code confirmed} (PostgreSQL). */
    public static JsonNode slotCounts(String baseUrl, String slotId) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/admin/slots/" + slotId))
                .header("Authorization", "Bearer " + scheduler()).timeout(Duration.ofSeconds(5)).GET().build());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET admin slot answered " + answer.statusCode() + ": " + answer.body());
        }
        return read(answer.body());
    }

    private static String doctor(String baseUrl, String hospital, String department) {
        Map<String, Object> body = Map.of("hospital", hospital, "department", department, "name", "Dr. Fault " + UUID.randomUUID(),
                "title", "Attending", "firstVisitQualified", true);
        return created(baseUrl + "/api/v1/admin/doctors", scheduler(), body).get("id").asText();
    }

    private static List<PublishedSlot> publishSlots(String baseUrl, String doctor, LocalDate date, int firstIndex, int count, int capacity) {
        List<Map<String, Object>> specs = new ArrayList<>();
        for (int i = firstIndex; i < firstIndex + count; i++) {
            OffsetDateTime start = date.atTime(8, 0).atOffset(BEIJING).plusMinutes(15L * i);
            specs.add(Map.of("start", start.toString(), "end", start.plusMinutes(15).toString(), "capacity", capacity));
        }
        Map<String, Object> body = Map.of("doctorId", doctor, "visitType", "FIRST",
                "releaseAt", OffsetDateTime.now(BEIJING).minusMinutes(1).toString(), "slots", specs);
        List<PublishedSlot> published = new ArrayList<>();
        created(baseUrl + "/api/v1/admin/slots", scheduler(), body).get("slots")
                .forEach(slot -> published.add(new PublishedSlot(slot.get("id").asText(), slot.get("capacity").asInt(),
                        departmentDay(date))));
        return published;
    }

    /** One account with {@code children} children: a scripted client that rotates patients to grab places. */
    public static List<Parent> family(String baseUrl, String account, int children) {
        String token = Tokens.patient(account);
        List<Parent> family = new ArrayList<>();
        for (int i = 0; i < children; i++) {
            String id = created(baseUrl + "/api/v1/patients", token, Map.of("name", "Child " + i + " of " + account,
                    "birthDate", LocalDate.now(BEIJING).minusYears(3 + i % 10).toString(), "sex", i % 2 == 0 ? "FEMALE" : "MALE"))
                    .get("id").asText();
            family.add(new Parent(account, token, id));
        }
        return family;
    }

    /** Creates parents concurrently (a few hundred take a second or two). */
    private static List<Parent> parents(String baseUrl, String prefix, int count) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Parent>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String account = prefix + i;
                futures.add(pool.submit(() -> {
                    String token = Tokens.patient(account);
                    String id = created(baseUrl + "/api/v1/patients", token, Map.of("name", "Child " + account,
                            "birthDate", LocalDate.now(BEIJING).minusYears(5).toString(), "sex", "FEMALE")).get("id").asText();
                    return new Parent(account, token, id);
                }));
            }
            List<Parent> parents = new ArrayList<>();
            for (Future<Parent> future : futures) {
                parents.add(future.get());
            }
            return parents;
        } catch (Exception e) {
            throw new IllegalStateException("Creating parents failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonNode created(String url, String token, Object body) {
        try {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
            if (answer.statusCode() != 201) {
                throw new IllegalStateException("POST " + url + " answered " + answer.statusCode() + ": " + answer.body());
            }
            return read(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String scheduler() {
        return SchedulerToken.TOKEN;
    }

    /** Signed once, lazily: Tokens reads the development key from bin/dev-keys. */
    private static final class SchedulerToken {
        static final String TOKEN = Tokens.scheduler("faults-scheduler");
    }
}
