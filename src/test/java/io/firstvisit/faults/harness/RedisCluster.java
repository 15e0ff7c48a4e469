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
 * A Redis Cluster of {@code masters} masters (no replicas) on loopback ports, made the way an operator
 * would: {@code redis-server --cluster-enabled yes} per node, then {@code redis-cli --cluster create}.
 * {@link #command} follows {@code MOVED} redirections, so the checks read any key wherever it lives.
 */
public final class RedisCluster implements RedisAccess {

    private static final Duration FORMED_WITHIN = Duration.ofSeconds(30);
    private static final int MAX_REDIRECTS = 3;

    private final List<RedisProcess> nodes;

    private RedisCluster(List<RedisProcess> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    public static RedisCluster start(int masters, Path workDir, Path logDir) {
        List<RedisProcess> nodes = new ArrayList<>();
        try {
            for (int i = 1; i <= masters; i++) {
                Path dir = Files.createDirectories(workDir.resolve("redis-" + i));
                nodes.add(RedisProcess.startClusterNode("redis-" + i, dir, logDir.resolve("redis-" + i + ".log")));
            }
            RedisCluster cluster = new RedisCluster(nodes);
            cluster.form(logDir.resolve("redis-cluster-create.log"));
            return cluster;
        } catch (IOException | RuntimeException e) {
            nodes.forEach(RedisProcess::stop);
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    /** {@code redis-cli --cluster create … --cluster-replicas 0 --cluster-yes}, then waits for {@code cluster_state:ok} everywhere. */
    private void form(Path log) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        String output = Commands.run(FORMED_WITHIN, command.toArray(String[]::new));
        try {
            Files.writeString(log, String.join(" ", command) + System.lineSeparator() + output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitOk();
    }

    /** Waits until every master reports {@code cluster_state:ok} (after forming, or after a master restarted). */
    public void awaitOk() {
        long deadline = System.nanoTime() + FORMED_WITHIN.toNanos();
        while (!nodes.stream().allMatch(RedisCluster::ok)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis Cluster not ok within " + FORMED_WITHIN);
            }
            Commands.pause(Duration.ofMillis(50));
        }
    }

    private static boolean ok(RedisProcess node) {
        try {
            return String.valueOf(node.command("CLUSTER", "INFO")).contains("cluster_state:ok");
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    /** The addresses the service is given ({@code quarkus.redis.hosts}), every master. */
    public String hosts() {
        return nodes.stream().map(RedisProcess::url).collect(Collectors.joining(","));
    }

    public List<RedisProcess> nodes() {
        return nodes;
    }

    /** The node that owns {@code key}'s hash slot (index into {@link #nodes()}), asked of the cluster itself. */
    public int nodeOf(String key) {
        long slot = nodes.get(0).integer("CLUSTER", "KEYSLOT", key);
        for (int i = 0; i < nodes.size(); i++) {
            if (owns(nodes.get(i), slot)) {
                return i;
            }
        }
        throw new IllegalStateException("No node owns slot " + slot);
    }

    @SuppressWarnings("unchecked")
    private static boolean owns(RedisProcess node, long slot) {
        for (Object range : (List<Object>) node.command("CLUSTER", "SLOTS")) {
            List<Object> r = (List<Object>) range;
            List<Object> master = (List<Object>) r.get(2);
            if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
                return Long.valueOf(node.port()).equals(master.get(1));
            }
        }
        return false;
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

    /** Sent to the first node; a {@code MOVED} answer is followed to the node it names. */
    @Override
    public Object command(String... args) {
        RedisProcess node = nodes.get(0);
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
