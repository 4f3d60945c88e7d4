package org.datasandbox.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.LedgerEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandbox killed with SIGKILL (a separate JVM: no shutdown hook, no close) while jobs are queued, and a
 * new sandbox started on the same data directory. The oracle is the ledger: every job it saw submitted
 * has exactly one outcome after the restart, and every released result is fetchable with its signed hash.
 */
class JobRestartTest {
    private static final Set<String> OUTCOMES = Set.of("job.released", "job.failed", "job.interrupted", "job.cancelled",
            "job.refused");

    @TempDir
    Path dir;

    @Test
    void open_afterAKillWithJobsQueued_everySubmittedJobHasOneOutcomeAndReleasedResultsAreFetchable() throws Exception {
        List<String> lines = runAndKill();
        String released = lines.get(0).substring("RELEASED ".length());
        List<String> queued = Arrays.asList(lines.get(1).substring("SUBMITTED ".length()).split(" "));

        try (Sandbox restarted = KilledRun.open(dir)) {
            Identity developer = TestSandbox.as(Role.DEVELOPER);
            List<LedgerEntry> entries = restarted.ledger().entries();
            Map<String, List<String>> outcomes = entries.stream().filter(e -> OUTCOMES.contains(e.action()))
                    .collect(Collectors.groupingBy(LedgerEntry::subject,
                            Collectors.mapping(LedgerEntry::action, Collectors.toList())));
            List<String> submitted = entries.stream().filter(e -> e.action().equals("job.submitted"))
                    .map(LedgerEntry::subject).toList();
            assertThat(submitted).hasSize(31).contains(released).containsAll(queued);
            for (String job : submitted) {
                assertThat(outcomes.get(job)).as(job).hasSize(1);
            }
            List<String> interrupted = submitted.stream().filter(j -> outcomes.get(j).contains("job.interrupted")).toList();
            assertThat(interrupted).as("jobs still queued at the kill").isNotEmpty();

            List<String> releasedJobs = submitted.stream().filter(j -> outcomes.get(j).contains("job.released")).toList();
            assertThat(releasedJobs).contains(released);
            for (String job : releasedJobs) {
                var result = restarted.fetchResult(developer, job);
                LedgerEntry receipt = entries.stream().filter(e -> e.action().equals("job.released") && e.subject().equals(job))
                        .findFirst().orElseThrow();
                assertThat(result.sha()).isEqualTo(receipt.details().get("resultSha"))
                        .isEqualTo(HexFormat.of().formatHex(restarted.crypto().hash(result.arrowIpc())));
                assertThat(result.ledgerSequence()).isEqualTo(receipt.sequence());
            }
            List<JobEvent> seen = new ArrayList<>();
            restarted.watchJob(developer, interrupted.get(0), seen::add);
            assertThat(seen).last().satisfies(e -> {
                assertThat(e.state()).isEqualTo(JobState.FAILED);
                assertThat(e.errorCode()).isEqualTo("INTERRUPTED");
            });
            try (var files = Files.walk(dir.resolve("results"))) {
                assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString().replace(".sealed", "")))
                        .containsExactlyInAnyOrderElementsOf(releasedJobs);
            }
        }
    }

    /** Runs {@link KilledRun} in its own JVM, kills it once it has queued its jobs; its two report lines. */
    private List<String> runAndKill() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+Ignore") || a.startsWith("-Djdk.")
                        || a.startsWith("-Dio.netty"))
                .forEach(command::add);
        command.addAll(List.of("-Xmx768m", "-cp", System.getProperty("java.class.path"), KilledRun.class.getName(),
                dir.toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                .directory(Path.of("").toAbsolutePath().toFile()).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            while (lines.size() < 2) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
                if (line.startsWith("RELEASED ") || line.startsWith("SUBMITTED ")) {
                    lines.add(line);
                }
            }
        } finally {
            process.destroyForcibly(); // SIGKILL
            process.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(lines).as("the killed run's report").hasSize(2);
        return lines;
    }
}
