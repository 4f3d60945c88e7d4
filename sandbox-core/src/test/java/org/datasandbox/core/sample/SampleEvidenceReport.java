package org.datasandbox.core.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.policy.PolicyParser;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.report.FidelityEvaluation;
import org.datasandbox.sample.report.MaskedRisk;
import org.datasandbox.sample.report.MaskedRiskReports;
import org.datasandbox.sample.sampling.MaskedSampleGenerator;
import org.datasandbox.sample.sampling.SampleSpec;
import org.datasandbox.sample.synthetic.SyntheticModel;
import org.datasandbox.sample.synthetic.SyntheticSampleGenerator;
import org.datasandbox.sample.synthetic.SyntheticSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The evidence of issue 11's closing note, printed, not asserted (the tests assert the properties; this prints
 * the figures): for the demo's {@code residents} (20,000 people, seed 2026) and {@code patients} (7,874), through
 * a fresh sandbox with the reference policies, the masked sample's risk figures (prosecutor, journalist, marketer,
 * sample- and population-unique shares) and, before, the same figures of a sample of the raw columns (nothing
 * masked), every synthetic fit's epsilon and delta and the scenario's budget left; the linked {@code medical_visits}' masked
 * risk over the joined view and its fit (charged to both tables' accounts);
 * and, fitted the way the sandbox fits (the policy's columns, epsilon 1) but measured against the originals as only
 * a test may, the fidelity table (1-way and 2-way TVD per column and pair, correlation difference). Run with
 * {@code mvn -pl sandbox-core -am test -Dtest=SampleEvidenceReport -Devidence=true -Dsurefire.failIfNoSpecifiedTests=false};
 * lines start with {@code EVIDENCE}.
 */
@EnabledIfSystemProperty(named = "evidence", matches = "true")
class SampleEvidenceReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESIDENTS_SCHEMA = "person_id BIGINT, id_card STRING, name STRING, phone STRING, "
            + "gender STRING, birth_date DATE, district STRING, address STRING, income DOUBLE, diagnosis STRING";
    private static final String PATIENTS_SCHEMA = "id INT, age INT, sex STRING, sample_yr INT, kappa DOUBLE, lambda DOUBLE, "
            + "flc_grp INT, creatinine DOUBLE, mgus INT, futime INT, death INT, chapter STRING";
    private static final int SEEDS = 2;
    private static final int DRAWN = 20_000;
    private static final int SAMPLE_ROWS = 1000;

    @Test
    void print_evidenceOfResidentsAndPatients() throws Exception {
        Path dir = Files.createTempDirectory("sample-evidence");
        Sandbox sandbox = Sandbox.open(SandboxConfig.embedded(dir.resolve("data")).withSampleRows(SAMPLE_ROWS));
        HubeiDemoData.Tables hubei = HubeiDemoData.generate(20_000, 2026);
        byte[] patientsCsv = Files.readAllBytes(TestSandbox.examples().resolve("data/patients.csv"));
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "residents", "", hubei.residentsCsv(), HubeiDemoData.RESIDENT_TYPES);
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "medical_visits", "", hubei.visitsCsv(), HubeiDemoData.VISIT_TYPES);
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "patients", "", patientsCsv, Map.of());
        for (String file : List.of("residents", "medical_visits", "patients", "scenario-public-health")) {
            String text = Files.readString(TestSandbox.examples().resolve("policies/" + file + ".yaml"));
            if (file.startsWith("scenario")) {
                text = text.replaceAll("(?m)^  arrests:.*\\n", "");
            }
            sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), text);
        }
        SparkSession spark = SparkSession.active();
        Path residentsFile = dir.resolve("residents.csv");
        Files.write(residentsFile, hubei.residentsCsv());
        Path patientsFile = dir.resolve("patients.csv");
        Files.write(patientsFile, patientsCsv);
        Map<String, Dataset<Row>> originals = Map.of(
                "residents", spark.read().option("header", "true").schema(RESIDENTS_SCHEMA).csv(residentsFile.toString()).cache(),
                "patients", spark.read().option("header", "true").schema(PATIENTS_SCHEMA).csv(patientsFile.toString()).cache());

        for (String table : List.of("residents", "patients")) {
            TablePolicy policy = new PolicyParser(CryptoProfile.of(CryptoProfile.Kind.SM))
                    .parse(Files.readString(TestSandbox.examples().resolve("policies/" + table + ".yaml"))).table().orElseThrow();
            var masked = sandbox.sample(TestSandbox.as(Role.DEVELOPER), "public-health", table, "masked", "arrow", 100_000);
            JsonNode report = JSON.readTree(masked.reportJson());
            JsonNode risk = report.at("/privacy/anonymity");
            System.out.printf(Locale.ROOT, "EVIDENCE %s masked: rows %d, suppressed %s, k %s, l %s, prosecutor max %s mean %s, "
                            + "journalist max %s, marketer %s, sample-unique %s, population-unique %s, population below k %s%n",
                    table, masked.rows(), risk.path("suppressedRows"), risk.path("k"), risk.path("l"),
                    risk.path("prosecutorMaxRisk"), risk.path("prosecutorAverageRisk"), risk.path("journalistMaxRisk"),
                    risk.path("marketerRisk"), risk.path("sampleUniqueShare"), risk.path("populationUniqueShare"),
                    risk.path("populationBelowKShare"));
            System.out.println("EVIDENCE " + table + " masked generalization: " + risk.path("generalization"));
            before(table, originals.get(table), risk, policy);

            var synthetic = sandbox.sample(TestSandbox.as(Role.DEVELOPER), "public-health", table, "synthetic", "arrow", 100_000);
            JsonNode fit = JSON.readTree(synthetic.reportJson());
            System.out.printf(Locale.ROOT, "EVIDENCE %s synthetic fit (sandbox): epsilon %s, delta %s, spent %s%n",
                    table, fit.path("epsilon"), fit.path("delta"), fit.path("spent"));

            List<SampleColumn> columns = SampleColumns.of(policy, originals.get(table).schema());
            fidelity(table, originals.get(table), columns);
            if (table.equals("residents")) {
                linked(sandbox, "medical_visits");
            }
        }
        for (var account : sandbox.budget(TestSandbox.as(Role.ADMIN), "public-health").accounts()) {
            System.out.println("EVIDENCE budget left after the demo's fits: " + account);
        }
    }

    /**
     * A linked table's masked sample (its risk over the joined view: each visit with its person's released values) and
     * its synthetic fit, whose epsilon and delta are charged to the parent's account too.
     */
    private static void linked(Sandbox sandbox, String table) throws Exception {
        var masked = sandbox.sample(TestSandbox.as(Role.DEVELOPER), "public-health", table, "masked", "arrow", 100_000);
        JsonNode risk = JSON.readTree(masked.reportJson()).at("/privacy/anonymity");
        System.out.printf(Locale.ROOT, "EVIDENCE %s masked (joined view): rows %d, suppressed %s, k %s, l %s, prosecutor max %s mean %s, "
                        + "journalist max %s, marketer %s, sample-unique %s, population-unique %s, population below k %s, known %s, "
                        + "sensitive %s%n",
                table, masked.rows(), risk.path("suppressedRows"), risk.path("k"), risk.path("l"),
                risk.path("prosecutorMaxRisk"), risk.path("prosecutorAverageRisk"), risk.path("journalistMaxRisk"),
                risk.path("marketerRisk"), risk.path("sampleUniqueShare"), risk.path("populationUniqueShare"),
                risk.path("populationBelowKShare"), risk.path("knownColumns"), risk.path("sensitiveColumns"));
        System.out.println("EVIDENCE " + table + " masked generalization: " + risk.path("generalization"));
        var synthetic = sandbox.sample(TestSandbox.as(Role.DEVELOPER), "public-health", table, "synthetic", "arrow", 100_000);
        JsonNode fit = JSON.readTree(synthetic.reportJson());
        System.out.printf(Locale.ROOT, "EVIDENCE %s synthetic fit (sandbox): epsilon %s, delta %s, spent %s%n",
                table, fit.path("epsilon"), fit.path("delta"), fit.path("spent"));
    }

    /**
     * The risk figures of the same sample size drawn from the raw columns, nothing masked, generalized or suppressed:
     * the same attacker-known and sensitive columns as the masked report names, measured the same way.
     */
    private static void before(String table, Dataset<Row> originals, JsonNode risk, TablePolicy policy) {
        String unit = table.equals("residents") ? "person_id" : "id";
        List<String> known = new java.util.ArrayList<>();
        risk.path("knownColumns").forEach(n -> known.add(n.asText()));
        List<String> sensitive = new java.util.ArrayList<>();
        risk.path("sensitiveColumns").forEach(n -> sensitive.add(n.asText()));
        long people = originals.select(unit).distinct().count();
        Dataset<Row> raw = MaskedSampleGenerator.select(originals, new SampleSpec(unit, Math.min(1.0, SAMPLE_ROWS / (double) people), 1L)).cache();
        Map<String, List<String>> combinations = new java.util.LinkedHashMap<>();
        combinations.put("every known column", known);
        combinations.put("without direct identifiers", known.stream().filter(c -> !hasRole(policy, c, ColumnRole.DIRECT_IDENTIFIER)).toList());
        combinations.put("quasi-identifiers and dimensions", known.stream().filter(c -> hasRole(policy, c, ColumnRole.QUASI_IDENTIFIER)
                || hasRole(policy, c, ColumnRole.DIMENSION)).toList());
        combinations.forEach((label, columns) -> {
            MaskedRisk before = MaskedRiskReports.measure(raw, originals, unit, columns, sensitive, risk.path("k").asInt(),
                    risk.path("l").asInt(), Map.of(), 0, raw.count());
            System.out.printf(Locale.ROOT, "EVIDENCE %s before (raw columns, no masking, %d rows, %s %s): prosecutor max %s mean %s, "
                            + "journalist max %s, marketer %s, sample-unique %s, population-unique %s, population below k %s%n", table,
                    raw.count(), label, columns, before.prosecutorMaxRisk(), before.prosecutorAverageRisk(), before.journalistMaxRisk(),
                    before.marketerRisk(), before.sampleUniqueShare(), before.populationUniqueShare(), before.populationBelowKShare());
        });
        raw.unpersist();
    }

    private static boolean hasRole(TablePolicy policy, String column, ColumnRole role) {
        return policy.column(column).map(c -> c.role() == role).orElse(false);
    }

    /** Mean over seeds of the 1-way and 2-way TVD per column and pair and of the correlation difference. */
    private static void fidelity(String table, Dataset<Row> originals, List<SampleColumn> columns) {
        Map<String, Double> oneWay = new java.util.TreeMap<>();
        Map<String, Double> twoWay = new java.util.TreeMap<>();
        double one = 0;
        double two = 0;
        double correlation = 0;
        for (int seed = 1; seed <= SEEDS; seed++) {
            SyntheticModel model = SyntheticSampleGenerator.fit(originals, columns, SyntheticSpec.withEpsilon(BigDecimal.ONE),
                    RandomSource.seeded(seed));
            System.out.printf(Locale.ROOT, "EVIDENCE %s fit seed %d: epsilon %s, delta %s%n", table, seed,
                    model.epsilon().toPlainString(), model.cost().delta());
            Dataset<Row> sample = SyntheticSampleGenerator.generate(SparkSession.active(), model, DRAWN, 1, seed).cache();
            FidelityEvaluation fidelity = FidelityEvaluation.of(originals, sample, columns);
            fidelity.oneWay().forEach((c, v) -> oneWay.merge(c, v / SEEDS, Double::sum));
            fidelity.twoWay().forEach((c, v) -> twoWay.merge(c, v / SEEDS, Double::sum));
            one += fidelity.meanOneWay() / SEEDS;
            two += fidelity.meanTwoWay() / SEEDS;
            correlation += fidelity.meanCorrelationDifference() / SEEDS;
            sample.unpersist();
        }
        System.out.printf(Locale.ROOT, "EVIDENCE %s fidelity (eps 1, %d seeds, %d rows drawn): mean 1-way TVD %.3f, mean 2-way TVD %.3f "
                + "(%d pairs), mean correlation difference %.3f%n", table, SEEDS, DRAWN, one, two, twoWay.size(), correlation);
        System.out.println("EVIDENCE " + table + " 1-way per column: " + rounded(oneWay));
        System.out.println("EVIDENCE " + table + " 2-way per pair: " + rounded(twoWay));
    }

    private static Map<String, String> rounded(Map<String, Double> values) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, String.format(Locale.ROOT, "%.3f", v)));
        return out;
    }
}
