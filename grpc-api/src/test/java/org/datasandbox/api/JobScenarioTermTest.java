package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.v1.JobEvent;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.LedgerEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rule: a job's output leaves only while its scenario is in force, checked when the job starts executing and again
 * just before its output leaves. The oracle is the clock alone: the same job, submitted while the scenario is in
 * force, releases when the workers' clock stays within the term and fails when it has passed the term by the time the
 * job starts, or by the time it would release. The table {@code term_visits} and the scenarios {@code term-study-*} are
 * this class's alone.
 */
class JobScenarioTermTest {
    private static final String SQL = "SELECT district, COUNT(*) AS n FROM term_visits GROUP BY district";
    private static final Duration PAST_THE_TERM = Duration.ofDays(11);
    private static GrpcFixture fixture;
    private static SandboxClient developer;

    @BeforeAll
    static void start() {
        fixture = GrpcFixture.get();
        SandboxClient admin = fixture.client(Role.ADMIN);
        admin.applyPolicy("""
                kind: table-policy
                table: term_visits
                output: {mode: threshold, k: 5}
                columns:
                  - {name: person_id, type: bigint, role: privacy_unit, mask: pseudonym}
                  - {name: district, type: string, role: dimension}
                """);
        StringBuilder csv = new StringBuilder("person_id,district\n");
        for (int id = 1; id <= 40; id++) {
            csv.append(id).append(',').append(id % 2 == 0 ? "east" : "west").append('\n');
        }
        fixture.client(Role.PROVIDER).registerDataset("term_visits", "", csv.toString().getBytes(StandardCharsets.UTF_8),
                Map.of());
        developer = fixture.client(Role.DEVELOPER);
    }

    /**
     * A scenario of its own per test, ending in 10 days: the call that sees a job's end after the term (its watch
     * completes on a worker) ends the scenario's authorization, as the first call after a term does.
     */
    private static String scenario(String id) {
        LocalDate expires = LocalDate.now(ZoneOffset.UTC).plusDays(10);
        fixture.client(Role.ADMIN).applyPolicy("kind: scenario\nid: " + id + "\npurpose: terms of jobs\n"
                + "developers: [\"Wang Fang\"]\ngrants: {term_visits: [district]}\noutput: {mode: threshold, k: 5}\n"
                + "expires: " + expires + "\n");
        return id;
    }

    @AfterEach
    void resetClock() {
        fixture.clock.reset();
        // a sweep on a worker saw a later day: one call today sweeps again, so a later test's own day is swept too
        developer.listCatalog();
    }

    @Test
    void execute_termEndedBeforeTheJobStarts_failsWithScenarioExpiredAndStoresNothing() throws IOException {
        String scenario = scenario("term-study-start");
        fixture.clock.advanceOnJobWorkers(PAST_THE_TERM, 0);
        String job = developer.submitJob(scenario, SQL).getJobId();

        assertRefused(scenario, job, developer.watchJob(job, e -> { }));
    }

    @Test
    void execute_termEndedWhileTheJobRan_failsBeforeReleaseAndStoresNothing() throws IOException {
        String scenario = scenario("term-study-release");
        fixture.clock.advanceOnJobWorkers(PAST_THE_TERM, 1); // in force when it starts, over when it would release
        String job = developer.submitJob(scenario, SQL).getJobId();

        assertRefused(scenario, job, developer.watchJob(job, e -> { }));
    }

    @Test
    void execute_withinTheTerm_releases() {
        String scenario = scenario("term-study-within");
        fixture.clock.advanceOnJobWorkers(Duration.ofDays(9), 0);
        String job = developer.submitJob(scenario, SQL).getJobId();

        assertThat(developer.watchJob(job, e -> { }).getState().name()).isEqualTo("RELEASED");
        assertThat(developer.fetchResult(job).table().rows()).hasSize(2);
    }

    private static void assertRefused(String scenario, String job, JobEvent last) throws IOException {
        assertThat(last.getState().name()).isEqualTo("FAILED");
        assertThat(last.getErrorCode()).isEqualTo("SCENARIO_EXPIRED");
        assertThat(last.getMessage()).contains("'" + scenario + "'").doesNotContain("east").doesNotContain("west");
        assertThat(fixture.sandbox.ledger().entries()).filteredOn(e -> e.subject().equals(job))
                .extracting(LedgerEntry::action).contains("job.failed").doesNotContain("job.released");
        assertThat(fixture.sandbox.ledger().entries())
                .filteredOn(e -> e.subject().equals(job) && e.action().equals("job.failed")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("code", "SCENARIO_EXPIRED"));
        assertThatThrownBy(() -> developer.fetchResult(job)).isInstanceOf(StatusRuntimeException.class);
        try (Stream<Path> files = Files.walk(fixture.dataDir.resolve("results"))) {
            assertThat(files.map(Path::toString)).noneMatch(name -> name.contains(job));
        }
    }
}
