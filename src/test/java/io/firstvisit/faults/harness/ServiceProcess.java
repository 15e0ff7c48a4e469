package io.firstvisit.faults.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One FirstVisit instance: the packaged jar ({@code target/quarkus-app/quarkus-run.jar}) as its own
 * JVM, configured only through environment variables, as in production. Readiness is
 * {@code GET /q/health/ready == 200} on the instance's management port (a free port of its own,
 * like its API port), which checks Redis and PostgreSQL.
 */
public final class ServiceProcess {

    public static final Path JAR = Path.of(System.getProperty("faults.jar", "target/quarkus-app/quarkus-run.jar"));
    /** Prefixes of inherited variables that could point the child somewhere else. */
    private static final List<String> SCRUBBED = List.of("QUARKUS_", "DB_", "REDIS_", "FIRSTVISIT_", "JWT_", "TEST_", "JAVA_TOOL_OPTIONS");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final int managementPort;
    private final ManagedProcess process;
    private volatile long readyAtNanos;

    private ServiceProcess(int port, int managementPort, ManagedProcess process) {
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
    }

    /**
     * @param redisHosts {@code quarkus.redis.hosts}: one URL, or every master of a cluster (then
     *                   {@code settings} sets REDIS_CLIENT_TYPE=cluster)
     * @param settings   extra environment (e.g. FIRSTVISIT_INVENTORY_RESERVATION_TIMEOUT)
     */
    public static ServiceProcess create(String name, PostgresProcess postgres, String redisHosts, Map<String, String> settings, Path log) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: package first (./mvnw package -DskipTests)");
        }
        int port = Commands.freePort();
        int managementPort = Commands.freePort();
        while (managementPort == port) { // both probes closed their socket: the kernel may hand out the same one twice
            managementPort = Commands.freePort();
        }
        Map<String, String> env = new HashMap<>();
        System.getenv().keySet().stream().filter(k -> SCRUBBED.stream().anyMatch(k::startsWith)).forEach(k -> env.put(k, null));
        env.put("QUARKUS_PROFILE", "dev");
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("DB_HOST", "127.0.0.1");
        env.put("DB_PORT", Integer.toString(postgres.port()));
        env.put("DB_NAME", "postgres");
        env.put("DB_USER", "postgres");
        env.put("REDIS_HOSTS", redisHosts);
        env.putAll(settings);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString());
        return new ServiceProcess(port, managementPort, new ManagedProcess(name, command, env, log));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Health and metrics: the management interface, which the API port does not serve. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public ManagedProcess process() {
        return process;
    }

    public ServiceProcess start(Duration readyWithin) {
        process.start();
        awaitReady(readyWithin);
        return this;
    }

    /** {@code kill -9}: in-flight requests lose their connection; nothing is flushed or released. */
    public void kill9() {
        process.kill9();
    }

    /** Launches the JVM again on the same ports and returns at once (callers measure from here). */
    public void relaunch() {
        process.start();
    }

    public void stop() {
        process.stop("TERM", Duration.ofSeconds(25));
    }

    /** Nano time at which the last start was first seen ready. */
    public long readyAtNanos() {
        return readyAtNanos;
    }

    public void awaitReady(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.name() + " exited during start-up; see " + process.log());
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    readyAtNanos = System.nanoTime();
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
            Commands.pause(Duration.ofMillis(200));
        }
        throw new IllegalStateException(process.name() + " not ready within " + within + "; see " + process.log());
    }

    /** Lines of this instance's log (all its runs) containing {@code text}. */
    public List<String> logLines(String text) {
        return logLines(text, null);
    }

    /** Lines containing {@code text} after the first line containing {@code marker} (from the start if null). */
    public List<String> logLines(String text, String marker) {
        try {
            List<String> found = new ArrayList<>();
            boolean counting = marker == null;
            for (String line : Files.readAllLines(process.log(), StandardCharsets.UTF_8)) {
                counting |= marker != null && line.contains(marker);
                if (counting && line.contains(text)) {
                    found.add(line);
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The sum of a Prometheus metric's samples (all tag combinations) from {@code /q/metrics}, or
     * empty when this build does not expose it (e.g. the inventory reconciler's drift counter).
     */
    public OptionalDouble metric(String name) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/metrics")).timeout(Duration.ofSeconds(5)).build();
            String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
            double sum = 0;
            boolean seen = false;
            for (String line : body.split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    String[] parts = line.trim().split(" ");
                    sum += Double.parseDouble(parts[parts.length - 1]);
                    seen = true;
                }
            }
            return seen ? OptionalDouble.of(sum) : OptionalDouble.empty();
        } catch (IOException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }
}
