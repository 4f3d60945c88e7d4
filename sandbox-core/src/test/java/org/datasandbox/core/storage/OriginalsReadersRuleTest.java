package org.datasandbox.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rule: the stored originals' rows are read only through {@link OriginalTables#read} (or, for a job's SQL, after
 * {@link OriginalTables#requireStored} of every table it reads), so that a new reader cannot skip the check of the
 * files against their record. The originals' Spark session ({@code SparkEngine.originals()}) is held only by the
 * classes listed here, each for a reason; none of them resolves an original table on it directly. A new class that
 * needs the originals takes {@link OriginalTables}, or is added here with its reason (and its own tamper test).
 */
class OriginalsReadersRuleTest {
    /** The classes that may hold the originals' session, and why. */
    private static final Map<String, String> HOLDERS = Map.of(
            "org/datasandbox/core/engine/SparkEngine.java", "makes the session",
            "org/datasandbox/core/Sandbox.java", "hands the session to OriginalTables",
            "org/datasandbox/core/job/JobManager.java", "runs a job's SQL, after requireStored of each table it reads",
            "org/datasandbox/core/sample/SampleService.java", "computes samples there; reads originals via OriginalTables");
    /** An original table resolved on the session itself, not through the checked read. */
    private static final Pattern DIRECT_READ = Pattern.compile("originals\\(\\)\\s*(\\.table\\(|::table|\\.read\\(\\))");

    @Test
    void originalsSession_heldOnlyByKnownClasses_andNoneReadsATableOnItDirectly() throws IOException {
        Path main = Path.of("src", "main", "java");
        assertThat(main.resolve("org/datasandbox/core/storage/OriginalTables.java")).as("run from the module").exists();
        Map<String, String> holders = new TreeMap<>();
        Set<String> directReads = new java.util.TreeSet<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = main.relativize(file).toString().replace('\\', '/');
                String source = Files.readString(file, StandardCharsets.UTF_8);
                if (source.contains(".originals()")) {
                    holders.put(name, HOLDERS.getOrDefault(name, "NOT ALLOWED: read through OriginalTables"));
                }
                if (DIRECT_READ.matcher(source).find()) {
                    directReads.add(name);
                }
            }
        }
        assertThat(holders).as("classes holding the originals' session").allSatisfy((name, why) ->
                assertThat(why).as(name).doesNotStartWith("NOT ALLOWED"));
        assertThat(directReads).as("classes resolving an original table on the session directly").isEmpty();
    }
}
