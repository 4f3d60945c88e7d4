package org.datasandbox.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.job.JobEvent;
import org.datasandbox.core.job.JobState;
import org.datasandbox.core.ledger.LedgerEntry;
import org.datasandbox.core.release.ArrowResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table policy applied after the data re-lays the stored originals out by the unit, as registration under a policy
 * does: a DP query then takes the streaming path (on a copy of the residents whose policy leaves out
 * {@code one_row_per_unit}, since a table of one row per unit needs no per-unit bounding and takes the SQL path). And the rule "the masked sample is a deterministic function of
 * the originals as a multiset of rows, the policy and the scenario key", on the demo's residents: the same rows
 * registered before their policy (stored as one file, then clustered on apply) and after it (clustered at
 * registration) give, under one fixed scenario key, the same masked sample row for row in the same order and the
 * same report. The oracle compares two tables of the same rows and knows nothing of how samples are drawn.
 */
class SampleLayoutOnApplyTest {
    /** Deleted after the test: Spark's scratch directory is never under a sandbox's data directory. */
    @TempDir
    Path dataDir;

    private static final String SCENARIO = "layout-on-apply";
    private static final String DP_SCENARIO = "layout-on-apply-dp";

    @Test
    void applyPolicy_afterData_givesApplyFirstsMaskedSample_andStreamsDpQueries() throws Exception {
        TestSandbox.get(); // the test JVM's one SparkSession
        // a fixed scenario key: the two samples compared are one repeatable draw
        var before = TestSandbox.sandboxThreads();
        try (Sandbox sandbox = TestSandbox.openWithScenarioKeys(org.datasandbox.core.config.SandboxConfig.embedded(
                dataDir).withSampleRows(400),
                Map.of(SCENARIO, FixedScenarioKeys.derived("layout test key")))) {
            HubeiDemoData.Tables hubei = HubeiDemoData.generate(3_000, 2026);
            String reference = Files.readString(TestSandbox.examples().resolve("policies/residents.yaml"));
            // policy first: the table is clustered by its unit as it is registered
            sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), policyOf(reference, "policy_first"));
            sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "policy_first", "", hubei.residentsCsv(), HubeiDemoData.RESIDENT_TYPES);
            // data first: stored as registered, re-laid out when the policy comes
            sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "data_first", "", hubei.residentsCsv(), HubeiDemoData.RESIDENT_TYPES);
            sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), policyOf(reference, "data_first"));

            sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), """
                    kind: scenario
                    id: %s
                    purpose: Checks that a masked sample does not follow the stored layout
                    developers: ["Wang Fang"]
                    output:
                      mode: threshold
                      k: 10
                    grants:
                      policy_first: ["*"]
                      data_first: ["*"]
                    """.formatted(SCENARIO));
            var first = sandbox.sample(TestSandbox.as(Role.DEVELOPER), SCENARIO, "policy_first", "masked", "arrow", 100_000);
            var later = sandbox.sample(TestSandbox.as(Role.DEVELOPER), SCENARIO, "data_first", "masked", "arrow", 100_000);
            List<Map<String, Object>> firstRows = ArrowResults.decode(first.data()).records();
            List<Map<String, Object>> laterRows = ArrowResults.decode(later.data()).records();
            assertThat(firstRows).hasSizeGreaterThan(100);
            assertThat(laterRows.toString()).as("the masked sample, row for row in its order").isEqualTo(firstRows.toString());
            assertThat(new String(later.reportJson(), StandardCharsets.UTF_8).replace("data_first", "TABLE"))
                    .isEqualTo(new String(first.reportJson(), StandardCharsets.UTF_8).replace("policy_first", "TABLE"));

            // without one_row_per_unit, so that the DP release bounds each unit's rows (the pass streams over the layout)
            sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "dp_later", "", hubei.residentsCsv(), HubeiDemoData.RESIDENT_TYPES);
            sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), policyOf(reference, "dp_later").replaceFirst("(?m)^one_row_per_unit: true\\R", ""));
            sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), """
                    kind: scenario
                    id: %s
                    purpose: Checks that DP queries stream over a table whose policy came after its data
                    developers: ["Wang Fang"]
                    output:
                      mode: dp
                      epsilon: 0.5
                      delta: 1.0e-6
                      max_groups_per_unit: 1
                      max_rows_per_group: 1
                    grants:
                      dp_later: ["*"]
                    budget: {epsilon: 10, delta: 1.0e-5}
                    """.formatted(DP_SCENARIO));
            var developer = TestSandbox.as(Role.DEVELOPER);
            var ticket = sandbox.submitJob(developer, DP_SCENARIO, "SELECT district, COUNT(*) AS n FROM dp_later GROUP BY district");
            List<JobEvent> events = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            sandbox.watchJob(developer, ticket.jobId(), e -> {
                events.add(e);
                if (e.state().isTerminal()) {
                    done.countDown();
                }
            });
            assertThat(done.await(180, TimeUnit.SECONDS)).isTrue();
            assertThat(events.get(events.size() - 1).state()).as(events.toString()).isEqualTo(JobState.RELEASED);
            List<LedgerEntry> bounded = sandbox.ledger().entries().stream().filter(e -> e.details().containsKey("bounding")).toList();
            assertThat(bounded).as("the DP release's ledger entry").isNotEmpty()
                    .allSatisfy(e -> assertThat(e.details()).containsEntry("bounding", "streaming"));
        }
        assertThat(TestSandbox.sandboxThreads()).as("threads left by the closed sandbox").isSubsetOf(before);
    }

    private static String policyOf(String reference, String table) {
        return reference.replaceFirst("(?m)^table: residents$", "table: " + table);
    }
}
