package io.firstvisit.faults.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstvisit.faults.harness.Release.Parent;
import io.firstvisit.faults.harness.Release.PublishedSlot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The parents' phones: fires booking attempts at planned instants against one or more instances and
 * records every answer, including the ones that never came. Each attempt carries its own
 * Idempotency-Key, as the README asks apps to. Nothing retries: each answer is counted as it was.
 */
public final class Crowd implements AutoCloseable {

    /** What a phone waits before giving up; "fast" answers in the checks are measured against it. */
    public static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One attempt: at {@code atMs} on the timeline, to instance {@code instance}, for {@code slotId}, with
     * a fresh Idempotency-Key unless {@code keyed} is false.
     */
    public record Planned(long atMs, int instance, Parent parent, String slotId, boolean keyed) {
        public Planned(long atMs, int instance, Parent parent, String slotId) {
            this(atMs, instance, parent, slotId, true);
        }

        public Planned withoutKey() {
            return new Planned(atMs, instance, parent, slotId, false);
        }
    }

    /** The answers of the recovery probe, and when its first 201 arrived (-1: never). */
    public record Recovery(List<Answer> answers, long bookedAtMs) {
        public boolean booked() {
            return bookedAtMs >= 0;
        }
    }

    private final Timeline timeline;
    private final List<String> baseUrls;
    private final ExecutorService callbacks = Executors.newFixedThreadPool(16);
    private final ScheduledExecutorService launcher = Executors.newScheduledThreadPool(2);
    private final HttpClient client;

    public Crowd(Timeline timeline, List<String> baseUrls) {
        this.timeline = timeline;
        this.baseUrls = List.copyOf(baseUrls);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(callbacks)
                .connectTimeout(CLIENT_TIMEOUT).build();
    }

    /**
     * A release-minute surge: the first {@code burst} parents tap at the same instant {@code burstAtMs}
     * (so a fault injected just after finds commits in flight); the others are spread evenly over
     * [{@code startMs}, {@code startMs + windowMs}). Parent i aims at slot i mod n and instance i mod m.
     */
    public static List<Planned> plan(List<Parent> parents, List<PublishedSlot> slots, int instances,
                                     long startMs, long windowMs, int burst, long burstAtMs) {
        List<Planned> plan = new ArrayList<>(parents.size());
        int spread = parents.size() - burst;
        for (int i = 0; i < parents.size(); i++) {
            long at = i < burst ? burstAtMs : startMs + windowMs * (i - burst) / Math.max(1, spread);
            plan.add(new Planned(at, i % instances, parents.get(i), slots.get(i % slots.size()).id()));
        }
        return plan;
    }

    /**
     * Every parent taps twice at the same instant, on two instances and for two slots: parent i asks
     * instance i mod m for slot i and instance (i+1) mod m for slot i + {@code stride} (with slots
     * interleaved day by day, a stride of the number of days keeps both in one department-day, so the
     * one-booking-per-day rule is decided across instances). The first {@code burst} parents tap at
     * {@code burstAtMs}, the others spread over [{@code startMs}, {@code startMs + windowMs}).
     */
    public static List<Planned> doubleTaps(List<Parent> parents, List<PublishedSlot> slots, int instances, int stride,
                                           int burst, long burstAtMs, long startMs, long windowMs) {
        List<Planned> plan = new ArrayList<>();
        int spread = Math.max(1, parents.size() - burst);
        for (int i = 0; i < parents.size(); i++) {
            long at = i < burst ? burstAtMs : startMs + windowMs * (i - burst) / spread;
            plan.add(new Planned(at, i % instances, parents.get(i), slots.get(i % slots.size()).id()));
            plan.add(new Planned(at, (i + 1) % instances, parents.get(i), slots.get((i + stride) % slots.size()).id()));
        }
        return plan;
    }

    /** Launches every planned attempt at its instant; the returned future completes with all answers. */
    public CompletableFuture<List<Answer>> fire(String phase, List<Planned> plan) {
        List<CompletableFuture<Answer>> answers = new ArrayList<>(plan.size());
        for (Planned planned : plan) {
            CompletableFuture<Answer> answer = new CompletableFuture<>();
            answers.add(answer);
            launcher.schedule(() -> book(phase, planned.instance(), planned.parent(), planned.slotId(), planned.keyed())
                            .whenComplete((a, failure) -> {
                                if (failure != null) {
                                    answer.completeExceptionally(failure);
                                } else {
                                    answer.complete(a);
                                }
                            }),
                    Math.max(0, planned.atMs() - timeline.nowMs()), TimeUnit.MILLISECONDS);
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> answers.stream().map(CompletableFuture::join).toList());
    }

    /** Waits for a surge's answers; every attempt has the client timeout, so this is bounded. */
    public static List<Answer> await(CompletableFuture<List<Answer>> surge, long lastPlannedMs, Timeline timeline) {
        long bound = Math.max(0, lastPlannedMs - timeline.nowMs()) + CLIENT_TIMEOUT.toMillis() + 15_000;
        try {
            return surge.get(bound, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Surge answers not all in within " + bound + " ms", e);
        }
    }

    /**
     * After a fault: one fresh parent books the probe slot every {@code every} until a 201 or until
     * {@code within} has passed, round-robin over the instances.
     */
    public Recovery probeUntilBooked(Iterator<Parent> parents, String slotId, Duration within, Duration every) {
        long deadline = timeline.nowMs() + within.toMillis();
        List<Answer> answers = new ArrayList<>();
        int instance = 0;
        Parent parent = null;
        while (timeline.nowMs() < deadline && (parent != null || parents.hasNext())) {
            if (parent == null) {
                parent = parents.next();
            }
            Answer answer = book("probe", instance++ % baseUrls.size(), parent, slotId, true).join();
            answers.add(answer);
            if (answer.created()) {
                return new Recovery(answers, answer.endMs());
            }
            if (answer.status() != Answer.NO_ANSWER) {
                parent = null; // the service saw this parent (it may hold a reservation now): use a fresh one
            }
            Commands.pause(every);
        }
        return new Recovery(answers, -1);
    }

    public CompletableFuture<Answer> book(String phase, int instance, Parent parent, String slotId, boolean keyed) {
        return book(phase, instance, parent, slotId, keyed ? UUID.randomUUID().toString() : null);
    }

    /** One attempt with this Idempotency-Key (none if null): a retry of an earlier attempt passes the same key. */
    public CompletableFuture<Answer> book(String phase, int instance, Parent parent, String slotId, String idempotencyKey) {
        boolean keyed = idempotencyKey != null;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrls.get(instance) + "/api/v1/bookings"))
                .timeout(CLIENT_TIMEOUT)
                .header("Authorization", "Bearer " + parent.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"slotId\":\"" + slotId + "\",\"patientId\":\"" + parent.patientId() + "\"}"));
        if (keyed) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        HttpRequest request = builder.build();
        long start = timeline.nowMs();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    long end = timeline.nowMs();
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                        int status = cause instanceof HttpTimeoutException ? Answer.TIMED_OUT : Answer.NO_ANSWER;
                        return new Answer(phase, instance, keyed, parent.patientId(), slotId, status, start, end, null, null,
                                cause.getClass().getSimpleName());
                    }
                    String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                    JsonNode body = parse(response.body());
                    String bookingId = response.statusCode() == 201 && body != null && body.hasNonNull("id") ? body.get("id").asText() : null;
                    String problem = body != null && body.hasNonNull("type") ? lastSegment(body.get("type").asText()) : null;
                    return new Answer(phase, instance, keyed, parent.patientId(), slotId, response.statusCode(), start, end, retryAfter,
                            bookingId, problem);
                });
    }

    /** {@code DELETE /api/v1/bookings/{id}} as the parent who booked it; the HTTP status, or {@link Answer#NO_ANSWER}. */
    public int cancel(int instance, Parent parent, String bookingId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrls.get(instance) + "/api/v1/bookings/" + bookingId))
                .timeout(CLIENT_TIMEOUT).header("Authorization", "Bearer " + parent.token()).DELETE().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return Answer.NO_ANSWER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String lastSegment(String type) {
        return type.substring(type.lastIndexOf('/') + 1);
    }

    @Override
    public void close() {
        launcher.shutdownNow();
        callbacks.shutdownNow();
    }
}
