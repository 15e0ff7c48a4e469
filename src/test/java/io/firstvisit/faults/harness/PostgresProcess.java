package io.firstvisit.faults.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A private PostgreSQL 15 cluster in a temporary directory on a free loopback port. initdb and the
 * postmaster refuse to run as root, so both run as the {@code postgres} user; {@code setpriv} execs
 * the postmaster in place, so the child's pid IS the postmaster and signals reach it directly. Its
 * Unix socket lives in the data directory, never in the shared /var/run/postgresql.
 */
public final class PostgresProcess {

    public static final String BIN = "/usr/lib/postgresql/15/bin/";
    private static final String OS_USER = "postgres";

    private final int port;
    private final Path dataDir;
    private final ManagedProcess process;

    private PostgresProcess(int port, Path dataDir, ManagedProcess process) {
        this.port = port;
        this.dataDir = dataDir;
        this.process = process;
    }

    /** initdb into {@code workDir}/pg (owned by postgres) and start. */
    public static PostgresProcess start(Path workDir, Path log) {
        Path dataDir = workDir.resolve("pg");
        giveToPostgres(workDir);
        Commands.run(Duration.ofSeconds(60), "runuser", "-u", OS_USER, "--", BIN + "initdb", "-D", dataDir.toString(),
                "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions");
        int port = Commands.freePort();
        // fsync=off only matters for a crash of the whole machine; a killed or crashed postmaster loses
        // nothing the OS already has, which is exactly what these tests inject.
        ManagedProcess process = new ManagedProcess("postgres", List.of("setpriv", "--reuid=" + OS_USER, "--regid=" + OS_USER,
                "--init-groups", "--", BIN + "postgres", "-D", dataDir.toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dataDir,
                "-c", "fsync=off", "-c", "max_connections=200"), Map.of("LC_ALL", "C.UTF-8"), log);
        PostgresProcess postgres = new PostgresProcess(port, dataDir, process);
        postgres.launch();
        return postgres;
    }

    public int port() {
        return port;
    }

    public ManagedProcess process() {
        return process;
    }

    /**
     * An immediate shutdown, what {@code pg_ctl stop -m immediate} sends (SIGQUIT): every backend
     * dies at once, no checkpoint, the next start runs crash recovery. Clients see their connections
     * drop mid-statement, as in a real database crash.
     */
    public void crash() {
        process.signal("QUIT");
        if (!process.awaitExit(Duration.ofSeconds(15))) {
            throw new IllegalStateException("postgres did not go down after SIGQUIT");
        }
    }

    /** Starts again on the same port and data directory (crash recovery runs first). */
    public void restart() {
        launch();
    }

    public void stop() {
        process.stop("QUIT", Duration.ofSeconds(15));
    }

    public Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("connectTimeout", "3");
        props.setProperty("socketTimeout", "15");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props);
    }

    private void launch() {
        // A crashed postmaster's backends leave within moments; until then a new one may refuse the
        // data directory, so start again (bounded) if it exits during start-up.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            process.start();
            while (System.nanoTime() < deadline && process.isAlive()) {
                try (Connection ignored = connect()) {
                    return;
                } catch (SQLException notYet) {
                    Commands.pause(Duration.ofMillis(100));
                }
            }
            Commands.pause(Duration.ofMillis(300));
        }
        throw new IllegalStateException("PostgreSQL not accepting connections within 30 s; see " + process.log());
    }

    private static void giveToPostgres(Path dir) {
        try {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
            view.setOwner(users.lookupPrincipalByName(OS_USER));
            view.setGroup(users.lookupPrincipalByGroupName(OS_USER));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot give " + dir + " to the postgres user", e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }
}
