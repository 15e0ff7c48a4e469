package io.firstvisit.faults.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One child process of the test JVM whose output is appended to a log file, and which a fault test
 * may kill, crash, pause or restart by signal. Every process ever started is remembered, so a JVM
 * shutdown hook can kill what an aborted run left behind: these are our own servers, never the
 * machine's shared PostgreSQL and Redis.
 */
public final class ManagedProcess {

    private static final Set<ManagedProcess> STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(ManagedProcess::killQuietly), "faults-cleanup"));
    }

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private volatile Process process;

    /**
     * @param environment variables to set; a {@code null} value removes an inherited variable, so the
     *                    child does not pick up a developer's QUARKUS_* or DB_* settings by accident
     */
    public ManagedProcess(String name, List<String> command, Map<String, String> environment, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = environment;
        this.log = log;
    }

    public synchronized void start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        note("start: " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        environment.forEach((key, value) -> {
            if (value == null) {
                builder.environment().remove(key);
            } else {
                builder.environment().put(key, value);
            }
        });
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
        STARTED.add(this);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** The exit status of the last run (-1 while it runs or before any start). */
    public int exitCode() {
        return process == null || process.isAlive() ? -1 : process.exitValue();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** {@code kill -9}: no shutdown hooks, no goodbye to clients. Waits until the process is gone. */
    public void kill9() {
        signal("KILL");
        awaitExit(Duration.ofSeconds(10));
    }

    /** SIGSTOP: the process keeps its sockets open but answers nothing, like a stuck server. */
    public void pause() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    /** Sends a signal by name (KILL, STOP, CONT, QUIT, TERM) through {@code kill}, to this process only. */
    public void signal(String signal) {
        if (process == null) {
            return;
        }
        note("signal " + signal);
        Commands.run(Duration.ofSeconds(5), "kill", "-" + signal, Long.toString(process.pid()));
    }

    /** Asks politely (SIGTERM, or {@code signal}), then kills if the process has not left within {@code grace}. */
    public void stop(String signal, Duration grace) {
        if (!isAlive()) {
            return;
        }
        resume(); // a paused process cannot handle SIGTERM
        signal(signal);
        if (!awaitExit(grace)) {
            note("did not stop within " + grace + "; killing");
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
        }
    }

    public boolean awaitExit(Duration timeout) {
        if (process == null) {
            return true;
        }
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (exited) {
                note("exited with " + process.exitValue());
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Writes a marker line into the process's log, so a reader sees where faults were injected. */
    public void note(String text) {
        try {
            Files.writeString(log, "=== [faults " + Instant.now() + "] " + name + ": " + text + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void killQuietly() {
        Process p = process;
        if (p != null && p.isAlive()) {
            try {
                new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor(2, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException ignored) {
                // best effort: SIGKILL below works on a stopped process too
            }
            p.destroyForcibly();
        }
    }
}
