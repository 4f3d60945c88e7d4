package org.datasandbox.core.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload well past the old in-memory limit (256 MiB) registers in a JVM whose whole heap is 256 MiB:
 * the upload is staged on disk and imported row by row. On code that holds the file (or its rows) in
 * the heap, the child runs out of memory.
 */
class LargeUploadSmallHeapTest {
    private static final int MEGABYTES = 300;

    @TempDir
    Path dir;

    @Test
    void register_300MiBCsvIn256MiBHeap_registersEveryRowWithTheUploadHash() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        // Spark refuses heaps under 450 MiB unless told the memory to plan with; the JVM still has 256 MiB
        command.add("-Dspark.testing.memory=" + (512L << 20));
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-opens") || argument.startsWith("-Djdk.reflect")
                    || argument.startsWith("-Dio.netty") || argument.startsWith("-XX:+IgnoreUnrecognized")) {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(SmallHeapUpload.class.getName());
        command.add(dir.resolve("data").toString());
        command.add(Integer.toString(MEGABYTES));
        command.add("INTERNATIONAL"); // SHA-256 has a CPU intrinsic, SM3 not: the test hashes every byte twice
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = child.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            child.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("the child finished").isTrue();
        assertThat(child.exitValue()).as(tail(output)).isZero();
        Matcher result = Pattern.compile("rows=(\\d+) expectedRows=(\\d+) bytes=(\\d+) hash=(\\w+) expectedHash=(\\w+)")
                .matcher(output);
        assertThat(result.find()).as(tail(output)).isTrue();
        assertThat(result.group(1)).isEqualTo(result.group(2));
        assertThat(Long.parseLong(result.group(3))).isGreaterThan(256L << 20);
        assertThat(result.group(4)).isEqualTo(result.group(5));
        assertThat(Files.list(dir.resolve("data").resolve("staging")).count()).as("staging emptied").isZero();
        System.out.println(output.lines().filter(l -> l.startsWith("rows=")).findFirst().orElse(""));
    }

    private static String tail(String output) {
        return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
    }
}
