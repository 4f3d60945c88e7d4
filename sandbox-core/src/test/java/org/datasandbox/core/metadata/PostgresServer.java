package org.datasandbox.core.metadata;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests, started from Debian's binaries ({@code /usr/lib/postgresql/<v>/bin}, or
 * {@code PG_BIN}): {@code initdb} into a fresh temporary directory, {@code pg_ctl start} on a free port of
 * 127.0.0.1 with its socket in that directory, trust authentication for one user. PostgreSQL refuses to run as
 * root, so as root its binaries run as the {@code postgres} user ({@code runuser}), who is given the directory.
 * {@link #close} stops it (immediate mode) and removes the directory. Without the binaries the caller's tests
 * are skipped with the reason, unless {@code CI} is set: then they fail.
 */
final class PostgresServer implements AutoCloseable {
    private static final String USER = "sandbox";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asRoot;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(Path bin, Path dir, int port, boolean asRoot) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asRoot = asRoot;
    }

    /** Starts a server, or skips (fails under CI) the calling tests when PostgreSQL is not installed. */
    static PostgresServer startOrSkip() throws Exception {
        Optional<Path> bin = binaries();
        if (bin.isEmpty()) {
            String why = "PostgreSQL's initdb and pg_ctl were not found (apt-get install postgresql, or set PG_BIN)";
            if (System.getenv("CI") != null) {
                Assertions.fail("CI must run the PostgreSQL metadata tests: " + why);
            }
            Assumptions.abort("PostgreSQL metadata tests skipped: " + why);
        }
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "sandbox-pg");
        PostgresServer server = new PostgresServer(bin.get(), dir, freePort(), asRoot);
        try {
            server.start();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void start() throws IOException, InterruptedException {
        if (asRoot) {
            run(List.of("chown", "postgres:", dir.toString()), false);
        }
        Path data = dir.resolve("data");
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust", "-E", "UTF8",
                "--no-sync", "--no-instructions"), true);
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w",
                "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"), true);
    }

    /** A new, empty database of this server, as a JDBC URL. */
    String newDatabase() throws SQLException {
        String name = "metadata_" + databases.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(url("postgres"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    @Override
    public void close() throws Exception {
        try {
            if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                        "-w", "stop"), true);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres && asRoot) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            String log = Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
            throw new IOException(String.join(" ", command) + " failed: " + output + log);
        }
    }

    private static Optional<Path> binaries() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("PG_BIN");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.map(v -> v.resolve("bin"))
                        .sorted(Comparator.comparing((Path p) -> version(p.getParent().getFileName().toString())).reversed())
                        .forEach(candidates::add);
            }
        }
        candidates.add(Path.of("/usr/local/pgsql/bin"));
        return candidates.stream().filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                .findFirst();
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
