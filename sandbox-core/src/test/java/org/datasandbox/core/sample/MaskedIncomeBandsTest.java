package org.datasandbox.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.release.ArrowResults;
import org.junit.jupiter.api.Test;

/**
 * Finding "demo incomes all 0": the demo's residents under the reference policy (income bounds [0, 1,000,000],
 * incomes log-normal around 54,000) came out in bands of 200,000, which held about 99% of the sample, so every
 * income read 0. Information loss measured on the public bounds alone priced that band at 0.2; the search must
 * see that a band almost everyone shares tells nothing. The masked income column must keep more than one band,
 * none holding nearly everyone, while the linkage oracle still finds every class of k people and l diagnoses.
 * Fails today (989 of 989 rows in the band 0, with the sample-share loss): kept out of the build until the policy
 * can top-code a column (README "Samples"). It runs for about six minutes on a loaded machine.
 */
class MaskedIncomeBandsTest {
    private static final String TABLE = "banded_residents";

    @Test
    void sample_demoResidentsUnderReferencePolicy_incomeKeepsSeveralBands_whileKAndLHold() throws Exception {
        // the demo's sizes: 20,000 residents, a sample of about 1,000 (the shared test sandbox draws 400)
        TestSandbox.get(); // the test JVM's one SparkSession
        Sandbox sandbox = Sandbox.open(org.datasandbox.core.config.SandboxConfig.embedded(Files.createTempDirectory("income-bands"))
                .withSampleRows(1000));
        HubeiDemoData.Tables hubei = HubeiDemoData.generate(20_000, 2026);
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), TABLE, "", hubei.residentsCsv(), HubeiDemoData.RESIDENT_TYPES);
        String policy = Files.readString(TestSandbox.examples().resolve("policies/residents.yaml"))
                .replaceFirst("(?m)^table: residents$", "table: " + TABLE);
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), policy);
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), """
                kind: scenario
                id: income-bands
                purpose: Checks that masked incomes stay useful under the reference policy
                developers: ["Wang Fang"]
                output:
                  mode: threshold
                  k: 10
                grants:
                  %s: ["*"]
                """.formatted(TABLE));

        var download = sandbox.sample(TestSandbox.as(Role.DEVELOPER), "income-bands", TABLE, "masked", "arrow", 100_000);
        List<Map<String, Object>> sample = ArrowResults.decode(download.data()).records();
        Map<Object, Integer> bands = new HashMap<>();
        sample.stream().map(r -> r.get("income")).filter(Objects::nonNull).forEach(v -> bands.merge(v, 1, Integer::sum));

        assertThat(sample).hasSizeGreaterThan(200);
        assertThat(bands).as("income bands of the sample").hasSizeGreaterThan(1);
        assertThat(bands.values()).as("rows per income band of %d", sample.size())
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(sample.size() * 9 / 10));
        var originals = LinkageOracle.residents(hubei.residents(), HubeiDemoData.Tables.RESIDENT_HEADER);
        var known = List.of("gender", "birth_date", "district", "income", "id_card", "name", "phone", "address");
        var linkage = new LinkageOracle(sample, known).link(originals, "diagnosis", 5, 2);
        assertThat(linkage.unlinkableSampleRows()).isZero();
        assertThat(linkage.singledOut()).as(linkage.toString()).isZero();
        assertThat(linkage.sensitiveDisclosed()).as(linkage.toString()).isZero();
        var anonymity = new ObjectMapper().readTree(download.reportJson()).at("/privacy/anonymity");
        assertThat(anonymity.at("/knownColumns").toString()).contains("income");
    }
}
