package org.datasandbox.core.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The files a stored table consists of, as the sandbox wrote them: each name Spark reads in the table's
 * directory with its size, recorded in a {@value #MANIFEST} file beside them (Spark skips names starting with
 * "_"). A read checks the directory against it: Spark lists a catalog table's directory per query, so a deleted,
 * truncated or added file would otherwise read as fewer or other rows, not as an error. Names and sizes are
 * cheap to check per query; a file's content is authenticated by its own AES-GCM encryption.
 *
 * @param sizes the byte size of every file Spark reads, by name
 */
public record StoredFiles(SortedMap<String, Long> sizes) {
    static final String MANIFEST = "_files";
    /** A directory among a table's entries: the sandbox never writes one, Spark would read it as a partition. */
    private static final long DIRECTORY = -1;

    public StoredFiles {
        sizes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(sizes));
    }

    /** The files Spark would read in a table's directory now. */
    static StoredFiles listed(Path dir) throws IOException {
        SortedMap<String, Long> sizes = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (sparkReads(name)) {
                    sizes.put(name, Files.isDirectory(entry) ? DIRECTORY : Files.size(entry));
                }
            }
        }
        return new StoredFiles(sizes);
    }

    /** Records the files of a table's directory as they are now: called by the writer, once they are complete. */
    static StoredFiles record(Path dir) throws IOException {
        StoredFiles files = listed(dir);
        String lines = files.sizes.entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        Path staged = dir.resolve("." + MANIFEST + ".staging");
        Files.writeString(staged, lines, StandardCharsets.UTF_8);
        Files.move(staged, dir.resolve(MANIFEST), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return files;
    }

    /** The files recorded for a table's directory, if a manifest was written there. */
    static Optional<StoredFiles> recorded(Path dir) throws IOException {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return Optional.empty();
        }
        SortedMap<String, Long> sizes = new TreeMap<>();
        for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue;
            }
            int tab = line.lastIndexOf('\t');
            if (tab < 1) {
                throw new IOException("a stored table's file manifest is malformed");
            }
            try {
                sizes.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
            } catch (NumberFormatException e) {
                throw new IOException("a stored table's file manifest is malformed");
            }
        }
        return Optional.of(new StoredFiles(sizes));
    }

    /**
     * Checks that a table's directory holds exactly the recorded files, each of its recorded size.
     *
     * @throws Mismatch naming only what kind of difference was found (never a file's name or content)
     */
    static void verify(Path dir) {
        StoredFiles expected;
        StoredFiles actual;
        try {
            expected = recorded(dir).orElseThrow(() -> new Mismatch("no record of its files"));
            actual = listed(dir);
        } catch (NoSuchFileException e) {
            throw new Mismatch("its directory is missing");
        } catch (IOException e) {
            throw new Mismatch("its files cannot be listed (" + e.getClass().getSimpleName() + ")");
        }
        if (expected.equals(actual)) {
            return;
        }
        long missing = expected.sizes.keySet().stream().filter(n -> !actual.sizes.containsKey(n)).count();
        long added = actual.sizes.keySet().stream().filter(n -> !expected.sizes.containsKey(n)).count();
        long resized = expected.sizes.entrySet().stream()
                .filter(e -> actual.sizes.containsKey(e.getKey()) && !actual.sizes.get(e.getKey()).equals(e.getValue()))
                .count();
        throw new Mismatch(missing + " missing, " + resized + " changed in size, " + added + " not written by the sandbox");
    }

    /**
     * Whether Spark's file listing reads an entry of a table directory: the rule of Spark's
     * {@code InMemoryFileIndex.shouldFilterOutPathName}, so that the check covers exactly what a query reads.
     */
    static boolean sparkReads(String name) {
        boolean excluded = (name.startsWith("_") && !name.contains("=")) || name.startsWith(".")
                || name.endsWith("._COPYING_");
        boolean included = name.startsWith("_common_metadata") || name.startsWith("_metadata");
        return !excluded || included;
    }

    /** A stored table's directory differs from the files recorded for it. */
    public static final class Mismatch extends RuntimeException {
        Mismatch(String difference) {
            super("the stored files differ from those recorded: " + difference, null, false, false);
        }

        /** The kind of difference, without file names. */
        public String difference() {
            return getMessage().substring(getMessage().indexOf(": ") + 2);
        }
    }
}
