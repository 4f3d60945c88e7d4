package org.datasandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.job.JobEvent;
import org.datasandbox.core.job.JobState;
import org.datasandbox.core.release.ArrowResults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SandboxFlowTest {
    private static Sandbox sandbox;
    private static HubeiDemoData.Tables hubei;

    @BeforeAll
    static void registerAndApply() throws Exception {
        sandbox = TestSandbox.get();
        hubei = HubeiDemoData.generate(3_000, 7);
        var provider = TestSandbox.as(Role.PROVIDER);
        var admin = TestSandbox.as(Role.ADMIN);
        sandbox.registerDataset(provider, "arrests", "", Files.readAllBytes(TestSandbox.examples().resolve("data/arrests.csv")), Map.of());
        sandbox.registerDataset(provider, "patients", "", Files.readAllBytes(TestSandbox.examples().resolve("data/patients.csv")), Map.of());
        sandbox.registerDataset(provider, "residents", "", hubei.residentsCsv(), HubeiDemoData.RESIDENT_TYPES);
        sandbox.registerDataset(provider, "medical_visits", "", hubei.visitsCsv(), HubeiDemoData.VISIT_TYPES);
        for (String file : List.of("arrests", "patients", "residents", "medical_visits", "scenario-public-health")) {
            sandbox.applyPolicy(admin, Files.readString(TestSandbox.examples().resolve("policies/" + file + ".yaml")));
        }
    }

    @Test
    void submitJob_aggregate_releasesThresholdedGroups() throws Exception {
        var developer = TestSandbox.as(Role.DEVELOPER);
        var ticket = sandbox.submitJob(developer, "public-health",
                "SELECT district, COUNT(*) AS n, ROUND(AVG(income), 0) AS avg_income FROM residents GROUP BY district");
        List<JobEvent> events = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        sandbox.watchJob(developer, ticket.jobId(), e -> {
            events.add(e);
            if (e.state().isTerminal()) {
                done.countDown();
            }
        });
        assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
        assertThat(events.get(events.size() - 1).state()).as(events.toString()).isEqualTo(JobState.RELEASED);
        var table = ArrowResults.decode(sandbox.fetchResult(developer, ticket.jobId()).arrowIpc());
        assertThat(table.columns()).containsExactly("district", "n", "avg_income");
        assertThat(table.rows()).isNotEmpty().allSatisfy(r -> assertThat((Long) r.get(1)).isGreaterThanOrEqualTo(10));
    }

    @Test
    void maskedSample_residents_hasNoOriginalIdentifiers() {
        var table = ArrowResults.decode(sandbox.maskedSample(TestSandbox.as(Role.DEVELOPER), "residents", 50));
        assertThat(table.rows()).isNotEmpty();
        var originals = hubei.residents().stream().flatMap(r -> java.util.stream.Stream.of(r[1], r[2], r[3], r[7])).toList();
        for (var record : table.records()) {
            assertThat(originals).doesNotContain((String) record.get("id_card"), (String) record.get("name"),
                    (String) record.get("phone"), (String) record.get("address"));
            assertThat((String) record.get("id_card")).endsWith("************");
        }
    }

    @Test
    void devRun_joinOnSamples_returnsRows() {
        var result = sandbox.devRun(TestSandbox.as(Role.DEVELOPER), "public-health",
                "SELECT r.gender, COUNT(*) AS visits FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.gender");
        assertThat(ArrowResults.decode(result.arrowIpc()).rows()).isNotEmpty();
    }

    @Test
    void submitJob_rowLevel_isDeniedWithRule() {
        assertThatThrownBy(() -> sandbox.submitJob(TestSandbox.as(Role.DEVELOPER), "public-health", "SELECT name, phone FROM residents"))
                .isInstanceOf(SandboxException.class)
                .satisfies(e -> assertThat(((SandboxException) e).code()).isEqualTo(ErrorCode.POLICY_DENIED))
                .hasMessageContaining("ROW_LEVEL_OUTPUT");
    }
}
