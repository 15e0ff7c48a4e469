package io.firstvisit.support;

import io.restassured.RestAssured;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Fires many HTTP requests at the same instant, the way a release minute does: all requests are
 * prepared first, then released together by a latch, each on its own connection.
 */
public final class Surge {

    public record Attempt(String token, String method, String path, String body, Map<String, String> headers) {
        public static Attempt book(String token, String slotId, String patientId) {
            return new Attempt(token, "POST", "/api/v1/bookings",
                    "{\"slotId\":\"" + slotId + "\",\"patientId\":\"" + patientId + "\"}", Map.of());
        }

        public Attempt withHeader(String name, String value) {
            Map<String, String> more = new java.util.HashMap<>(headers);
            more.put(name, value);
            return new Attempt(token, method, path, body, more);
        }
    }

    public record Result(Attempt attempt, int status, String body) {
    }

    private Surge() {
    }

    public static List<Result> fire(List<Attempt> attempts) {
        ExecutorService threads = Executors.newFixedThreadPool(Math.min(attempts.size(), 256));
        HttpClient client = HttpClient.newBuilder().executor(threads).connectTimeout(Duration.ofSeconds(10)).build();
        try {
            String base = RestAssured.baseURI + ":" + RestAssured.port;
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Result>> futures = new ArrayList<>();
            for (Attempt attempt : attempts) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + attempt.path()))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json");
                if (attempt.token() != null) {
                    request.header("Authorization", "Bearer " + attempt.token());
                }
                attempt.headers().forEach(request::header);
                request.method(attempt.method(), attempt.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(attempt.body()));
                HttpRequest built = request.build();
                futures.add(CompletableFuture.runAsync(() -> await(start), threads)
                        .thenCompose(ignored -> client.sendAsync(built, HttpResponse.BodyHandlers.ofString()))
                        .thenApply(response -> new Result(attempt, response.statusCode(), response.body())));
            }
            start.countDown();
            return futures.stream().map(CompletableFuture::join).toList();
        } finally {
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
