package io.firstvisit.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstvisit.faults.harness.Release;
import io.firstvisit.faults.harness.Stack;
import io.firstvisit.support.Tokens;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

/**
 * Issue 11 §3 across processes: a QUEUE release on three instances (one Redis, one PostgreSQL), and on a Redis
 * Cluster. Parents take tickets round-robin before the release; Redis is killed and restarted empty during the
 * pre-queue (the line comes back from PostgreSQL); after the release one instance is killed -9 and relaunched (it
 * loses no ticket).
 * After the release every instance reports the same admission instant for every ticket, those instants admit
 * admitPerSecond per second (within 10 %), no instance calls a ticket ADMITTED before its instant, and the admitted
 * parents book exactly the capacity through any instance.
 */
class QueuedReleaseIT {

    private static final Logger LOG = Logger.getLogger(QueuedReleaseIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EARLY = 240;
    private static final int LATE = 60;
    private static final int RATE = 20;
    private static final int CAPACITY = 50;
    /** From publishing to the release: the pre-queue's tickets and a Redis restart fit in it on a loaded 2-core machine. */
    private static final Duration PRE_QUEUE_SETUP = Duration.ofSeconds(45);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 420, threadMode = SEPARATE_THREAD)
    void threeInstancesAdmitAtOneRateAndLoseNoTicket() {
        try (Stack stack = Stack.start("queued-release", 3)) {
            run(stack, true);
        }
    }

    @Test
    @Timeout(value = 420, threadMode = SEPARATE_THREAD)
    void aRedisClusterRunsTheWaitingRoom() {
        try (Stack stack = Stack.startOnCluster("queued-release-cluster", 1, 3)) {
            run(stack, false);
        }
    }

    private void run(Stack stack, boolean faults) {
        List<String> urls = stack.baseUrls();
        String run = UUID.randomUUID().toString().substring(0, 8);

        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < EARLY + LATE; i++) {
            accounts.add("queued-" + run + "-" + i);
        }
        Map<String, String> patients = new HashMap<>();
        parallel(accounts, a -> patients.put(a, post(urls.get(0), a, "/api/v1/patients",
                Map.of("name", "Child", "birthDate", "2021-03-04", "sex", "FEMALE"), null).get("id").asText()));
        OffsetDateTime release = OffsetDateTime.now(Release.BEIJING).plus(PRE_QUEUE_SETUP).truncatedTo(ChronoUnit.SECONDS);
        LocalDate date = LocalDate.now(Release.BEIJING).plusDays(9);
        List<String> slots = publish(urls.get(0), date, release);

        Map<String, String> tickets = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> early = accounts.subList(0, EARLY);
        parallel(early.subList(0, EARLY / 2), a -> tickets.put(a, take(urls, a, date)));
        if (faults) {
            stack.redis().kill9(); // everything the line knew is gone: it comes back from PostgreSQL
            stack.redis().restartEmpty();
        }
        parallel(early.subList(EARLY / 2, EARLY), a -> tickets.put(a, take(urls, a, date)));
        parallel(early, a -> assertEquals(tickets.get(a), take(urls, a, date), "asking again, on any instance, gives the same ticket"));
        assertTrue(Instant.now().isBefore(release.toInstant()), "the pre-queue part ended before the release; raise PRE_QUEUE_SETUP");

        awaitInstant(release.toInstant().plusMillis(200));
        parallel(accounts.subList(EARLY, EARLY + LATE), a -> tickets.put(a, take(urls, a, date)));
        if (faults) {
            // An instance that restarts knows nothing of the tickets it answered: it must tell the same as the others.
            stack.services().get(1).kill9();
            stack.services().get(1).relaunch();
            stack.services().get(1).awaitReady(Stack.SERVICE_START);
        }

        // Every instance tells every ticket the same position and admission instant.
        Map<String, JsonNode> seen = new HashMap<>();
        for (String url : urls) {
            Map<String, JsonNode> here = new java.util.concurrent.ConcurrentHashMap<>();
            parallel(accounts, a -> here.put(a, get(url, a, "/api/v1/queue/tickets/" + tickets.get(a))));
            for (String a : accounts) {
                JsonNode ticket = here.get(a);
                JsonNode first = seen.computeIfAbsent(a, x -> ticket);
                assertEquals(first.get("position").asInt(), ticket.get("position").asInt(), "position of " + a + " on " + url);
                assertEquals(OffsetDateTime.parse(first.get("estimatedAdmitAt").asText()).toInstant(),
                        OffsetDateTime.parse(ticket.get("estimatedAdmitAt").asText()).toInstant(), "admission of " + a + " on " + url);
            }
        }
        List<Integer> positions = accounts.stream().map(a -> seen.get(a).get("position").asInt()).sorted().toList();
        assertEquals(java.util.stream.IntStream.rangeClosed(1, EARLY + LATE).boxed().toList(), positions, "each position once");
        for (String a : accounts.subList(EARLY, EARLY + LATE)) {
            assertTrue(seen.get(a).get("position").asInt() > EARLY, "a ticket taken after the release is behind every drawn one");
        }

        // The admission instants every instance reports, counted per second from the release.
        TreeMap<Long, Integer> perSecond = new TreeMap<>();
        for (JsonNode ticket : seen.values()) {
            Instant at = OffsetDateTime.parse(ticket.get("estimatedAdmitAt").asText()).toInstant();
            perSecond.merge(Duration.between(release.toInstant(), at).toSeconds(), 1, Integer::sum);
        }
        LOG.infof("Admissions per second from the release (admitPerSecond %d): %s", RATE, perSecond);
        perSecond.headMap(perSecond.lastKey()).values() // the last second holds what is left over
                .forEach(n -> assertTrue(Math.abs(n - RATE) <= RATE / 10, "admitted in one second: " + n + " of " + RATE + ": " + perSecond));

        // Polled until every ticket is admitted: no instance admits a ticket before its instant.
        Instant lastAdmission = seen.values().stream().map(t -> OffsetDateTime.parse(t.get("estimatedAdmitAt").asText()).toInstant())
                .max(Instant::compareTo).orElseThrow();
        Map<String, String> admittedTicket = new java.util.concurrent.ConcurrentHashMap<>();
        int round = 0;
        while (admittedTicket.size() < accounts.size() && Instant.now().isBefore(lastAdmission.plusSeconds(20))) {
            String url = urls.get(round++ % urls.size());
            parallel(accounts.stream().filter(a -> !admittedTicket.containsKey(a)).toList(), a -> {
                Instant asked = Instant.now();
                JsonNode ticket = get(url, a, "/api/v1/queue/tickets/" + tickets.get(a));
                if ("ADMITTED".equals(ticket.get("state").asText())) {
                    Instant at = OffsetDateTime.parse(ticket.get("estimatedAdmitAt").asText()).toInstant();
                    assertTrue(!Instant.now().isBefore(at), "ADMITTED on " + url + " before its instant " + at + " (asked " + asked + ")");
                    admittedTicket.put(a, tickets.get(a));
                }
            });
        }
        assertEquals(accounts.size(), admittedTicket.size(), "every ticket was admitted in turn");

        // The admitted book, round-robin over the instances: exactly the capacity, each patient once.
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        parallel(accounts, a -> statuses.add(book(urls.get(Math.floorMod(a.hashCode(), urls.size())), a, slots.get(Math.floorMod(a.hashCode(), 2)),
                patients.get(a), tickets.get(a))));
        assertEquals(2L * CAPACITY, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(accounts.size() - 2L * CAPACITY, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        for (String slot : slots) {
            var counts = Release.slotCounts(urls.get(0), slot);
            assertEquals(CAPACITY, counts.confirmed(), "PostgreSQL: no oversell");
            assertEquals(0, counts.remaining());
        }
    }

    private List<String> publish(String url, LocalDate date, OffsetDateTime release) {
        String doctor = post(url, null, "/api/v1/admin/doctors", Map.of("hospital", "CCMC", "department", "DERMATOLOGY",
                "name", "Dr. Queue", "title", "Attending", "firstVisitQualified", true), null).get("id").asText();
        List<Map<String, Object>> specs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            OffsetDateTime start = date.atTime(9, 0).atOffset(Release.BEIJING).plusMinutes(15L * i);
            specs.add(Map.of("start", start.toString(), "end", start.plusMinutes(15).toString(), "capacity", CAPACITY));
        }
        JsonNode published = post(url, null, "/api/v1/admin/slots", Map.of("doctorId", doctor, "visitType", "FIRST",
                "releaseAt", release.toString(), "slots", specs,
                "admission", Map.of("mode", "QUEUE", "admitPerSecond", RATE, "preQueueMinutes", 5, "passMinutes", 5)), null);
        List<String> ids = new ArrayList<>();
        published.get("slots").forEach(s -> ids.add(s.get("id").asText()));
        return ids;
    }

    private String take(List<String> urls, String account, LocalDate date) {
        String url = urls.get(Math.floorMod((account + date).hashCode() ^ (int) System.nanoTime(), urls.size()));
        return post(url, account, "/api/v1/queue/tickets", Map.of("hospital", "CCMC", "department", "DERMATOLOGY", "date", date.toString()), null)
                .get("id").asText();
    }

    private int book(String url, String account, String slot, String patient, String ticket) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/bookings"))
                .header("Authorization", "Bearer " + Tokens.patient(account)).header("Content-Type", "application/json")
                .header("Admission-Ticket", ticket)
                .POST(HttpRequest.BodyPublishers.ofString("{\"slotId\":\"" + slot + "\",\"patientId\":\"" + patient + "\"}")).build());
        return answer.statusCode();
    }

    private JsonNode post(String url, String account, String path, Object body, String ignored) {
        try {
            String token = account == null ? Tokens.scheduler("queued-it") : Tokens.patient(account);
            for (int attempt = 0; ; attempt++) {
                HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(15))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
                if (answer.statusCode() == 201) {
                    return JSON.readTree(answer.body());
                }
                // 503 while Redis restarts or an instance warms up: the app retries, as told by Retry-After.
                if (answer.statusCode() != 503 || attempt > 20) {
                    throw new AssertionError("POST " + path + " answered " + answer.statusCode() + ": " + answer.body());
                }
                pauseMillis(250);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private JsonNode get(String url, String account, String path) {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + Tokens.patient(account)).GET().build());
            if (answer.statusCode() == 200) {
                try {
                    return JSON.readTree(answer.body());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            if (answer.statusCode() != 503 || attempt > 20) {
                throw new AssertionError("GET " + path + " on " + url + " answered " + answer.statusCode() + ": " + answer.body());
            }
            pauseMillis(250);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void parallel(List<String> accounts, java.util.function.Consumer<String> each) {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            CompletableFuture.allOf(accounts.stream().map(a -> CompletableFuture.runAsync(() -> each.accept(a), pool))
                    .toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Real time, in a real-process test: the release instant has to come. */
    private static void awaitInstant(Instant instant) {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            pauseMillis(millis);
        }
    }

    private static void pauseMillis(long millis) {
        io.firstvisit.faults.harness.Commands.pause(Duration.ofMillis(millis));
    }
}
