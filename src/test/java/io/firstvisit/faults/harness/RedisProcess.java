package io.firstvisit.faults.harness;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A private redis-server on a free loopback port with no persistence: a restart after {@link #kill9()}
 * comes back empty, which is the worst case I4 has to survive. {@link #command} talks RESP over a
 * plain socket, so the checks read Redis without going through the service under test.
 */
public final class RedisProcess implements RedisAccess {

    private final int port;
    private final ManagedProcess process;

    private RedisProcess(int port, ManagedProcess process) {
        this.port = port;
        this.process = process;
    }

    public static RedisProcess start(Path dataDir, Path log) {
        return start("redis", dataDir, log, List.of());
    }

    /**
     * One master of a {@link RedisCluster}: cluster mode on, its node table in {@code dataDir}, its bus on
     * a free port of its own (the default, port + 10000, may be taken or past 65535). {@code nodeTimeout} is how
     * long a silent master may stay silent before the others mark it failed and its replica takes over;
     * {@code settings} more {@code redis-server} arguments.
     */
    static RedisProcess startClusterNode(String name, Path dataDir, Path log, Duration nodeTimeout, List<String> settings) {
        List<String> arguments = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()), "--cluster-port", Integer.toString(Commands.freePort())));
        arguments.addAll(settings);
        return start(name, dataDir, log, arguments);
    }

    private static RedisProcess start(String name, Path dataDir, Path log, List<String> extra) {
        int port = Commands.freePort();
        List<String> command = new ArrayList<>(List.of("redis-server",
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dataDir.toString(),
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice"));
        command.addAll(extra);
        RedisProcess redis = new RedisProcess(port, new ManagedProcess(name, command, Map.of(), log));
        redis.launch();
        return redis;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public ManagedProcess process() {
        return process;
    }

    public void kill9() {
        process.kill9();
    }

    /** Starts again on the same port, with nothing in memory. */
    public void restartEmpty() {
        launch();
    }

    public void pause() {
        process.pause();
    }

    public void resume() {
        process.resume();
    }

    public void stop() {
        process.stop("TERM", Duration.ofSeconds(5));
    }

    private void launch() {
        process.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited at start; see " + process.log());
            }
            try {
                if ("PONG".equals(command("PING"))) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            Commands.pause(Duration.ofMillis(50));
        }
        throw new IllegalStateException("redis-server not answering PING within 15 s; see " + process.log());
    }

    @Override
    public Object command(String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                request.writeBytes(bytes);
                request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(request.toByteArray());
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("Redis on port " + port + ": " + e.getMessage(), e);
        }
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException("Redis error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length);
                line(in);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("Unexpected RESP type " + type);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read(); // '\n'
                return text.toString();
            }
            text.append((char) c);
        }
        throw new IOException("Redis closed the connection");
    }
}
