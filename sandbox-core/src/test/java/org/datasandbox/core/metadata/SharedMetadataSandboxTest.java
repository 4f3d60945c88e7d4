package org.datasandbox.core.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.catalog.CatalogEntry;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.policy.ScenarioPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sandboxes (two servers) with data directories of their own sharing one PostgreSQL metadata database: what
 * the provider registers and the admin applies on one is in the other's catalog, guard and budget at its next
 * use, without a restart.
 */
class SharedMetadataSandboxTest {
    private static final String SCENARIO = """
            kind: scenario
            id: district-study
            purpose: District statistics of income for planning
            developers: ["Wang Fang"]
            output:
              mode: threshold
              k: 10
            grants:
              residents: ["*"]
            """;
    private static final String QUERY = "SELECT district, COUNT(*) AS n FROM residents GROUP BY district";

    private static PostgresServer server;
    private static Sandbox first;
    private static Sandbox second;

    @TempDir
    static Path dirs;

    @BeforeAll
    static void openTwoServers() throws Exception {
        TestSandbox.get(); // the JVM's SparkContext lives in its directory, not in this class's temporary one
        server = PostgresServer.startOrSkip();
        String url = server.newDatabase();
        first = Sandbox.open(SandboxConfig.embedded(dirs.resolve("first")).withSampleRows(200).withMetadataUrl(url));
        first.registerDataset(TestSandbox.as(Role.PROVIDER), "residents", "", HubeiDemoData.generate(300, 7).residentsCsv(),
                HubeiDemoData.RESIDENT_TYPES);
        // the second starts after the registration: the table's data is on the first server's directory only
        second = Sandbox.open(SandboxConfig.embedded(dirs.resolve("second")).withSampleRows(200).withMetadataUrl(url));
        first.applyPolicy(TestSandbox.as(Role.ADMIN),
                Files.readString(TestSandbox.examples().resolve("policies/residents.yaml")));
        first.applyPolicy(TestSandbox.as(Role.ADMIN), SCENARIO);
    }

    @AfterAll
    static void close() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {first, second, server}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void catalog_tableRegisteredAndPolicyAppliedOnTheFirst_isListedByTheSecond() {
        CatalogEntry entry = second.catalog(TestSandbox.as(Role.DEVELOPER)).stream()
                .filter(e -> e.table().equals("residents")).findFirst().orElseThrow();
        assertThat(entry.policyVersion()).isEqualTo(1);
        assertThat(entry.columns()).anySatisfy(c -> {
            assertThat(c.name()).isEqualTo("person_id");
            assertThat(c.role()).isEqualTo("privacy_unit");
        });
    }

    @Test
    void estimateCost_onTheSecond_isDecidedByTheGuardOverTheFirstServersPolicy() {
        var estimate = second.estimateCost(TestSandbox.as(Role.DEVELOPER), "district-study", QUERY);
        assertThat(estimate.mode()).isEqualTo("threshold");
        assertThat(estimate.rewrittenSql()).containsIgnoringCase("residents");
        assertThat(estimate).isEqualTo(first.estimateCost(TestSandbox.as(Role.DEVELOPER), "district-study", QUERY));
    }

    @Test
    void budget_definedByTheFirstsApply_isTheSameAccountOnTheSecond() {
        var onSecond = second.budget(TestSandbox.as(Role.AUDITOR), "district-study");
        assertThat(onSecond.accounts()).hasSize(1);
        assertThat(onSecond.accounts()).isEqualTo(first.budget(TestSandbox.as(Role.AUDITOR), "district-study").accounts());
    }

    @Test
    void applyPolicy_newVersionOnTheFirst_isInForceOnTheSecondAtItsNextRead() {
        int before = version(second);
        first.applyPolicy(TestSandbox.as(Role.ADMIN), SCENARIO.replace("for planning", "for city planning"));
        assertThat(version(second)).isEqualTo(before + 1).isEqualTo(version(first));
        assertThat(second.scenarios(TestSandbox.as(Role.ADMIN)).stream().filter(s -> s.id().equals("district-study"))
                .map(ScenarioPolicy::purpose).findFirst()).contains("District statistics of income for city planning");
    }

    private static int version(Sandbox sandbox) {
        return sandbox.scenarios(TestSandbox.as(Role.ADMIN)).stream().filter(s -> s.id().equals("district-study"))
                .mapToInt(ScenarioPolicy::version).findFirst().orElseThrow();
    }

}
