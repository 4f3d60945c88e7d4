package org.datasandbox.core.sample;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.release.ArrowResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The figures of the issue on the demo's {@code residents} (20,000 people, seed 2026, about 1,000 in the
 * sample), printed, not asserted: run with {@code -Dtest=MaskedResidentsRiskReport -DriskReport=true}.
 * {@code SandboxFlowTest} asserts the same properties on 3,000 people.
 */
@EnabledIfSystemProperty(named = "riskReport", matches = "true")
class MaskedResidentsRiskReport {

    @Test
    void print_linkageFiguresOfTheMaskedResidentsSample() throws Exception {
        Sandbox sandbox = Sandbox.open(SandboxConfig.embedded(Files.createTempDirectory("risk-report")).withSampleRows(1000));
        HubeiDemoData.Tables hubei = HubeiDemoData.generate(20_000, 2026);
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "residents", "", hubei.residentsCsv(), HubeiDemoData.RESIDENT_TYPES);
        for (String file : List.of("residents", "scenario-public-health")) {
            String text = Files.readString(TestSandbox.examples().resolve("policies/" + file + ".yaml"));
            if (file.startsWith("scenario")) {
                text = text.replaceAll("(?m)^  (medical_visits|arrests|patients):.*\\n", "");
            }
            sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), text);
        }
        var download = sandbox.sample(TestSandbox.as(Role.DEVELOPER), "public-health", "residents", "masked", "arrow", 100_000);
        List<Map<String, Object>> sample = ArrowResults.decode(download.data()).records();
        var originals = LinkageOracle.residents(hubei.residents(), HubeiDemoData.Tables.RESIDENT_HEADER);
        var known = List.of("gender", "birth_date", "district", "income", "id_card", "name", "phone", "address");
        System.out.println("RISK sample rows: " + sample.size());
        System.out.println("RISK rows with a population-unique income next to a diagnosis: "
                + LinkageOracle.rowsWithPopulationUniqueValue(sample, originals, "income", "diagnosis"));
        var demographics = new LinkageOracle(sample, List.of("gender", "birth_date", "district"));
        System.out.println("RISK rows population-unique on gender, birth date, district: "
                + demographics.rowsInPopulationClassesBelow(originals, 2));
        System.out.println("RISK rows in population classes below 5 on gender, birth date, district: "
                + demographics.rowsInPopulationClassesBelow(originals, 5));
        var all = new LinkageOracle(sample, known);
        System.out.println("RISK rows in population classes below 5 on every known column: " + all.rowsInPopulationClassesBelow(originals, 5));
        System.out.println("RISK linkage of every original on every known column (k 5, l 2): " + all.link(originals, "diagnosis", 5, 2));
        System.out.println("RISK report: " + new String(download.reportJson(), java.nio.charset.StandardCharsets.UTF_8));
        System.out.println("RISK discernibility / people: " + discernibility(sample, known, download.rows()));
    }

    /**
     * The masked patients (7,874 people of the flchain cohort): the report (information loss per column, risk
     * figures) and the discernibility of the sample on every column an attacker can know.
     */
    @Test
    void print_maskedPatientsReport() throws Exception {
        Sandbox sandbox = Sandbox.open(SandboxConfig.embedded(Files.createTempDirectory("risk-report")).withSampleRows(1000));
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "patients", "",
                Files.readAllBytes(TestSandbox.examples().resolve("data/patients.csv")), Map.of());
        for (String file : List.of("patients", "scenario-public-health")) {
            String text = Files.readString(TestSandbox.examples().resolve("policies/" + file + ".yaml"));
            if (file.startsWith("scenario")) {
                text = text.replaceAll("(?m)^  (medical_visits|arrests|residents):.*\\n", "");
            }
            sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), text);
        }
        var download = sandbox.sample(TestSandbox.as(Role.DEVELOPER), "public-health", "patients", "masked", "arrow", 100_000);
        List<Map<String, Object>> sample = ArrowResults.decode(download.data()).records();
        System.out.println("PATIENTS report: " + new String(download.reportJson(), java.nio.charset.StandardCharsets.UTF_8));
        var known = List.of("age", "sex", "sample_yr", "kappa", "lambda", "flc_grp", "creatinine", "mgus", "futime", "death", "chapter");
        System.out.println("PATIENTS discernibility / people: " + discernibility(sample, known, download.rows()));
    }

    /** Sum over classes of the squared class size, over the rows: 1 when every row is alone, the rows when all are one class. */
    private static double discernibility(List<Map<String, Object>> sample, List<String> known, int rows) {
        Map<List<Object>, Long> classes = new java.util.HashMap<>();
        for (Map<String, Object> record : sample) {
            List<Object> key = new java.util.ArrayList<>();
            known.forEach(c -> key.add(String.valueOf(record.get(c))));
            classes.merge(key, 1L, Long::sum);
        }
        double sum = classes.values().stream().mapToDouble(n -> (double) n * n).sum();
        return Math.round(sum / Math.max(1, rows) * 10) / 10.0;
    }
}
