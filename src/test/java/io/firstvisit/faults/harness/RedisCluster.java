package io.firstvisit.faults.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of {@code masters} masters, each with {@code replicasPerMaster} replicas, on loopback
 * ports, made the way an operator would: {@code redis-server --cluster-enabled yes} per node, then
 * {@code redis-cli --cluster create}. {@link #command} asks a node that is alive and follows {@code MOVED}
 * redirections, so the checks read any key wherever it lives, also after a master was killed.
 */
public final class RedisCluster implements RedisAccess {

    private static final Duration FORMED_WITHIN = Duration.ofSeconds(30);
    private static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_REDIRECTS = 3;

    private final List<RedisProcess> nodes;
    private final int replicasPerMaster;

    private RedisCluster(List<RedisProcess> nodes, int replicasPerMaster) {
        this.nodes = List.copyOf(nodes);
        this.replicasPerMaster = replicasPerMaster;
    }

    /** Masters only, with Redis' default node timeout (5 s). */
    public static RedisCluster start(int masters, Path workDir, Path logDir) {
        return start(masters, 0, DEFAULT_NODE_TIMEOUT, List.of(), workDir, logDir);
    }

    /** {@code settings}: more {@code redis-server} arguments for every node, e.g. {@code --cluster-require-full-coverage no}. */
    public static RedisCluster start(int masters, int replicasPerMaster, Duration nodeTimeout, List<String> settings, Path workDir, Path logDir) {
        List<RedisProcess> nodes = new ArrayList<>();
        try {
            for (int i = 1; i <= masters * (1 + replicasPerMaster); i++) {
                Path dir = Files.createDirectories(workDir.resolve("redis-" + i));
                nodes.add(RedisProcess.startClusterNode("redis-" + i, dir, logDir.resolve("redis-" + i + ".log"), nodeTimeout, settings));
            }
            RedisCluster cluster = new RedisCluster(nodes, replicasPerMaster);
            cluster.form(logDir.resolve("redis-cluster-create.log"));
            return cluster;
        } catch (IOException | RuntimeException e) {
            nodes.forEach(RedisProcess::stop);
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    /**
     * {@code redis-cli --cluster create … --cluster-replicas N --cluster-yes} (the first nodes become the
     * masters), then waits for {@code cluster_state:ok} everywhere and for every replica's link to its master.
     */
    private void form(Path log) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        String output = Commands.run(FORMED_WITHIN, command.toArray(String[]::new));
        try {
            Files.writeString(log, String.join(" ", command) + System.lineSeparator() + output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitOk();
        await("every replica in sync with its master", () -> nodes.stream().filter(node -> !isMaster(node))
                .allMatch(node -> String.valueOf(node.command("INFO", "replication")).contains("master_link_status:up")));
    }

    /** Waits until every node that is alive reports {@code cluster_state:ok} (after forming, a restart or a failover). */
    public void awaitOk() {
        await("Redis Cluster ok on every live node", () -> live().allMatch(RedisCluster::ok));
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + FORMED_WITHIN.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not within " + FORMED_WITHIN);
            }
            Commands.pause(Duration.ofMillis(50));
        }
    }

    private static boolean holds(java.util.function.BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private static boolean ok(RedisProcess node) {
        try {
            return String.valueOf(node.command("CLUSTER", "INFO")).contains("cluster_state:ok");
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private java.util.stream.Stream<RedisProcess> live() {
        return nodes.stream().filter(node -> node.process().isAlive());
    }

    /** What the node says it is ({@code ROLE}): a master, or a replica. */
    public static boolean isMaster(RedisProcess node) {
        return "master".equals(((List<?>) node.command("ROLE")).get(0));
    }

    /** The replica (index into {@link #nodes()}) that replicates the master {@code master}. */
    public int replicaOf(int master) {
        long port = nodes.get(master).port();
        for (int i = 0; i < nodes.size(); i++) {
            List<?> role = (List<?>) nodes.get(i).command("ROLE");
            if ("slave".equals(role.get(0)) && port == (Long) role.get(2)) {
                return i;
            }
        }
        throw new IllegalStateException("No replica of node " + (master + 1) + " (port " + port + ")");
    }

    /** The addresses the service is given ({@code quarkus.redis.hosts}): every node, masters and replicas. */
    public String hosts() {
        return nodes.stream().map(RedisProcess::url).collect(Collectors.joining(","));
    }

    public List<RedisProcess> nodes() {
        return nodes;
    }

    /** The master that owns {@code key}'s hash slot (index into {@link #nodes()}), asked of a live node of the cluster. */
    @SuppressWarnings("unchecked")
    public int nodeOf(String key) {
        RedisProcess asked = anyLive();
        long slot = asked.integer("CLUSTER", "KEYSLOT", key);
        for (Object range : (List<Object>) asked.command("CLUSTER", "SLOTS")) {
            List<Object> r = (List<Object>) range;
            if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
                long port = (Long) ((List<Object>) r.get(2)).get(1);
                for (int i = 0; i < nodes.size(); i++) {
                    if (nodes.get(i).port() == port) {
                        return i;
                    }
                }
            }
        }
        throw new IllegalStateException("No node owns slot " + slot);
    }

    private RedisProcess anyLive() {
        return live().findFirst().orElseThrow(() -> new IllegalStateException("No Redis Cluster node is alive"));
    }

    /** Keys matching {@code pattern} held by each node, in node order. */
    public List<Long> keysPerNode(String pattern) {
        List<Long> counts = new ArrayList<>();
        for (RedisProcess node : nodes) {
            long count = 0;
            String cursor = "0";
            do {
                List<?> reply = (List<?>) node.command("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
                cursor = (String) reply.get(0);
                count += ((List<?>) reply.get(1)).size();
            } while (!"0".equals(cursor));
            counts.add(count);
        }
        return counts;
    }

    /** Sent to the first live node; a {@code MOVED} answer is followed to the node it names. */
    @Override
    public Object command(String... args) {
        RedisProcess node = anyLive();
        for (int hop = 0; ; hop++) {
            try {
                return node.command(args);
            } catch (IllegalStateException e) {
                String message = String.valueOf(e.getMessage());
                int moved = message.indexOf("MOVED ");
                if (moved < 0 || hop >= MAX_REDIRECTS) {
                    throw e;
                }
                int port = Integer.parseInt(message.substring(message.lastIndexOf(':') + 1).trim());
                node = nodes.stream().filter(n -> n.port() == port).findFirst()
                        .orElseThrow(() -> new IllegalStateException("MOVED to an unknown node: " + message));
            }
        }
    }

    public void stop() {
        List<RuntimeException> failures = new ArrayList<>();
        for (RedisProcess node : nodes) {
            try {
                node.stop();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
