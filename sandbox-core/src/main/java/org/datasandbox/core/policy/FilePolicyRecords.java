package org.datasandbox.core.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Policy documents as files: {@code tables/<table>/v<N>.yaml} and {@code scenarios/<id>/v<N>.yaml}, the end of
 * each scenario version's term beside it ({@code v<N>.term}, a date) and an {@code ended} file in the folder of
 * an ended scenario. One server writes them, so the generation never changes under it.
 */
public final class FilePolicyRecords implements PolicyRecords {
    private final Path dir;

    private FilePolicyRecords(Path dir) {
        this.dir = dir;
    }

    public static FilePolicyRecords open(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("tables"));
        Files.createDirectories(dir.resolve("scenarios"));
        return new FilePolicyRecords(dir);
    }

    @Override
    public synchronized int append(Kind kind, String name, String text, LocalDate term) throws IOException {
        Path folder = folder(kind).resolve(name);
        Files.createDirectories(folder);
        int version = latestVersion(folder) + 1;
        Path temp = Files.createTempFile(folder, ".policy", ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, folder.resolve("v" + version + ".yaml"), StandardCopyOption.ATOMIC_MOVE);
        if (term != null) {
            writeTerm(folder, version, term);
        }
        return version;
    }

    @Override
    public List<Stored> latest(Kind kind) throws IOException {
        List<Stored> stored = new ArrayList<>();
        for (Path folder : list(folder(kind))) {
            int version = latestVersion(folder);
            if (version > 0) {
                stored.add(new Stored(folder.getFileName().toString(), version,
                        Files.readString(folder.resolve("v" + version + ".yaml")), term(folder, version),
                        Files.exists(folder.resolve("ended"))));
            }
        }
        return stored;
    }

    @Override
    public synchronized void term(String scenario, int version, LocalDate end) throws IOException {
        Path folder = folder(Kind.SCENARIO).resolve(scenario);
        Files.deleteIfExists(folder.resolve("v" + version + ".term"));
        writeTerm(folder, version, end);
    }

    @Override
    public synchronized void end(String scenario, LocalDate end) throws IOException {
        Files.writeString(folder(Kind.SCENARIO).resolve(scenario).resolve("ended"), end.toString(), StandardCharsets.UTF_8);
    }

    @Override
    public long generation() {
        return 0;
    }

    private Path folder(Kind kind) {
        return dir.resolve(kind == Kind.TABLE ? "tables" : "scenarios");
    }

    private static void writeTerm(Path folder, int version, LocalDate expires) throws IOException {
        Path temp = Files.createTempFile(folder, ".term", ".tmp");
        Files.writeString(temp, expires.toString(), StandardCharsets.UTF_8);
        Files.move(temp, folder.resolve("v" + version + ".term"), StandardCopyOption.ATOMIC_MOVE);
    }

    private static Optional<LocalDate> term(Path folder, int version) throws IOException {
        Path file = folder.resolve("v" + version + ".term");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(Files.readString(file, StandardCharsets.UTF_8).strip()));
        } catch (DateTimeParseException e) {
            throw new IOException("stored term of scenario " + folder.getFileName() + " v" + version + " is not a date");
        }
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory).toList();
        }
    }

    private static int latestVersion(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("v\\d+\\.yaml"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.length() - 5)))
                    .max().orElse(0);
        }
    }
}
