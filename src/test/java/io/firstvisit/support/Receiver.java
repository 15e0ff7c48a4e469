package io.firstvisit.support;

import com.sun.net.httpserver.HttpServer;
import io.restassured.path.json.JsonPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * A webhook receiver the test starts on 127.0.0.1 (a real HTTP server on a free port): it records every
 * request and answers with the status the test's policy chooses.
 */
public final class Receiver implements AutoCloseable {

    /** One request as received; {@code attempt} counts requests carrying the same event id, from 1. */
    public record Request(Map<String, List<String>> headers, byte[] body, int attempt, int answered) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }

        public JsonPath json() {
            return JsonPath.from(new String(body, StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private Receiver(HttpServer server) {
        this.server = server;
    }

    /** {@code policy} sees the request (with its attempt number) and returns the status to answer. */
    public static Receiver start(ToIntFunction<Request> policy) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            Receiver receiver = new Receiver(server);
            Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String event = exchange.getRequestHeaders().getFirst("X-FirstVisit-Event-Id");
                int attempt = attempts.computeIfAbsent(String.valueOf(event), k -> new AtomicInteger()).incrementAndGet();
                Request seen = new Request(Map.copyOf(exchange.getRequestHeaders()), body, attempt, 0);
                int status = policy.applyAsInt(seen);
                receiver.requests.add(new Request(seen.headers(), body, attempt, status));
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/firstvisit";
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests about one booking, in the order they arrived. */
    public List<Request> requestsFor(String bookingId) {
        return requests.stream().filter(r -> bookingId.equals(r.json().getString("bookingId"))).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        if (server.getExecutor() instanceof java.util.concurrent.ExecutorService threads) {
            threads.shutdownNow();
        }
    }
}
