package io.firstvisit.faults.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything one fault scenario runs against: its own PostgreSQL and Redis in a temporary directory,
 * and one or more service instances on them. Logs go to {@code target/faults/<scenario>/}.
 * {@link #close()} tears all of it down and is safe after any failure, including a half-built stack.
 */
public final class Stack implements AutoCloseable {

    /**
     * Short reservation timeout and reaper interval, so I3 settles within seconds instead of 35 s. No shorter than
     * the service accepts: the write budget (5 s) plus statement_timeout (5 s) must stay below it (TimeoutRelations
     * refuses to start otherwise, and TimeoutRelationsTest checks this value).
     */
    public static final Duration RESERVATION_TIMEOUT = Duration.ofSeconds(11);
    public static final Duration REAPER_INTERVAL = Duration.ofSeconds(1);
    /** The reaper's first sweep comes this long after an instance starts ({@code @Scheduled(delayed = "5s")}). */
    public static final Duration REAPER_START_DELAY = Duration.ofSeconds(5);
    public static final Duration SERVICE_START = Duration.ofSeconds(90);

    private final long startedNanos = System.nanoTime();
    private final String scenario;
    private final Path workDir;
    private final Path logDir;
    private PostgresProcess postgres;
    private RedisProcess redis;
    private RedisCluster cluster;
    private final List<ServiceProcess> services = new ArrayList<>();

    private Stack(String scenario, Path workDir, Path logDir) {
        this.scenario = scenario;
        this.workDir = workDir;
        this.logDir = logDir;
    }

    /** Starts PostgreSQL, Redis and {@code instances} service instances (each waits for readiness). */
    public static Stack start(String scenario, int instances) {
        return start(scenario, instances, null, Map.of());
    }

    /** The same with more settings for the service instances (environment variables). */
    public static Stack start(String scenario, int instances, Map<String, String> settings) {
        return start(scenario, instances, null, settings);
    }

    /**
     * The same on a Redis Cluster of {@code masters} masters: the instances run with
     * {@code REDIS_CLIENT_TYPE=cluster} and every master in {@code REDIS_HOSTS}, as in production.
     */
    public static Stack startOnCluster(String scenario, int instances, int masters) {
        return startOnCluster(scenario, instances, masters, 0, Duration.ofSeconds(5), List.of());
    }

    /**
     * The same with {@code replicasPerMaster} replicas behind each master and the cluster's node timeout (how
     * long a master may be silent before its replica is promoted) and more {@code redis-server} arguments for
     * every node. The instances get every node in {@code REDIS_HOSTS}.
     */
    public static Stack startOnCluster(String scenario, int instances, int masters, int replicasPerMaster, Duration nodeTimeout,
                                       List<String> redisSettings) {
        if (masters < 3) {
            throw new IllegalArgumentException("redis-cli --cluster create needs at least 3 masters");
        }
        return start(scenario, instances, new ClusterShape(masters, replicasPerMaster, nodeTimeout, redisSettings), Map.of());
    }

    /** What {@link RedisCluster#start} is given. */
    private record ClusterShape(int masters, int replicasPerMaster, Duration nodeTimeout, List<String> redisSettings) {
    }

    /** {@code clusterShape}: null for one Redis server. */
    private static Stack start(String scenario, int instances, ClusterShape clusterShape, Map<String, String> extra) {
        Stack stack;
        try {
            Path logDir = Path.of("target", "faults", scenario);
            deleteTree(logDir);
            Files.createDirectories(logDir);
            stack = new Stack(scenario, Files.createTempDirectory("fv-faults-" + scenario + "-"), logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            stack.postgres = PostgresProcess.start(stack.workDir, stack.logDir.resolve("postgres.log"));
            Map<String, String> settings = new HashMap<>(Map.of(
                    "FIRSTVISIT_INVENTORY_RESERVATION_TIMEOUT", RESERVATION_TIMEOUT.toSeconds() + "s",
                    "FIRSTVISIT_INVENTORY_REAPER_INTERVAL", REAPER_INTERVAL.toSeconds() + "s"));
            settings.putAll(extra);
            String redisHosts;
            if (clusterShape != null) {
                stack.cluster = RedisCluster.start(clusterShape.masters(), clusterShape.replicasPerMaster(), clusterShape.nodeTimeout(),
                        clusterShape.redisSettings(), stack.workDir, stack.logDir);
                redisHosts = stack.cluster.hosts();
                settings.put("REDIS_CLIENT_TYPE", "cluster");
            } else {
                Path redisDir = stack.workDir.resolve("redis");
                Files.createDirectories(redisDir);
                stack.redis = RedisProcess.start(redisDir, stack.logDir.resolve("redis.log"));
                redisHosts = stack.redis.url();
            }
            for (int i = 1; i <= instances; i++) {
                ServiceProcess service = ServiceProcess.create("service-" + i, stack.postgres, redisHosts, settings,
                        stack.logDir.resolve("service-" + i + ".log"));
                stack.services.add(service);
                // The first instance migrates the schema; starting the next one after it avoids two
                // Flyway runs racing for the same empty database.
                service.start(SERVICE_START);
            }
            return stack;
        } catch (RuntimeException | IOException e) {
            stack.close();
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    public String scenario() {
        return scenario;
    }

    public PostgresProcess postgres() {
        return postgres;
    }

    /** The single Redis server (the fault scenarios kill, pause and restart it); none on a cluster stack. */
    public RedisProcess redis() {
        if (redis == null) {
            throw new IllegalStateException(scenario + " runs on a Redis Cluster: use cluster() or redisAccess()");
        }
        return redis;
    }

    public RedisCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException(scenario + " runs on a single Redis server");
        }
        return cluster;
    }

    /** Reads Redis wherever the keys live, for the checks. */
    public RedisAccess redisAccess() {
        return cluster != null ? cluster : redis;
    }

    public ServiceProcess service() {
        return services.get(0);
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    public List<String> baseUrls() {
        return services.stream().map(ServiceProcess::baseUrl).toList();
    }

    public Path logDir() {
        return logDir;
    }

    /** When this stack began starting its processes (System.nanoTime()). */
    public long startedNanos() {
        return startedNanos;
    }

    /** Stops services first (they would log connection errors otherwise), then Redis, then PostgreSQL. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (ServiceProcess service : services) {
            quietly(service::stop, failures);
        }
        if (redis != null) {
            quietly(redis::stop, failures);
        }
        if (cluster != null) {
            quietly(cluster::stop, failures);
        }
        if (postgres != null) {
            quietly(postgres::stop, failures);
        }
        quietly(() -> deleteTree(workDir), failures);
        if (!failures.isEmpty()) {
            failures.forEach(f -> System.err.println("[faults] teardown of " + scenario + ": " + f));
        }
    }

    private static void quietly(Runnable action, List<RuntimeException> failures) {
        try {
            action.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
