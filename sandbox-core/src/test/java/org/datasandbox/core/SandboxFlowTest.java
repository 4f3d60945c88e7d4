package org.datasandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private static final ObjectMapper JSON = new ObjectMapper();

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
    void sample_maskedResidents_hasNoOriginalIdentifiers_andComesWithItsReport() throws Exception {
        var download = sandbox.sample(TestSandbox.as(Role.DEVELOPER), "public-health", "residents", "masked", "arrow", 50);
        var table = ArrowResults.decode(download.data());
        assertThat(table.rows()).hasSize(50);
        var originals = hubei.residents().stream().flatMap(r -> java.util.stream.Stream.of(r[1], r[2], r[3], r[7])).toList();
        for (var record : table.records()) {
            assertThat(originals).doesNotContain((String) record.get("id_card"), (String) record.get("name"),
                    (String) record.get("phone"), (String) record.get("address"));
            // masked to its region, or removed where even the region would single people out
            assertThat((String) record.get("id_card")).satisfiesAnyOf(id -> assertThat(id).isNull(),
                    id -> assertThat(id).endsWith("************"));
        }
        JsonNode report = JSON.readTree(download.reportJson());
        assertThat(report.get("kind").asText()).isEqualTo("masked");
        assertThat(report.at("/utility/columns").has("income")).isTrue();
        assertThat(report.at("/utility/columns").has("name")).isFalse(); // identifiers are not compared
        assertThat(report.at("/privacy/risk/quasiIdentifiers/0").asText()).isEqualTo("birth_date");
    }

    /**
     * Finding "unique income next to diagnosis": the attacker knows every resident's gender, birth date,
     * district, income, ID number, name, phone and address, and links them to the masked sample. Nobody who
     * links may match fewer than k = 5 rows, or rows with fewer than l = 2 diagnoses; every sample row must
     * link to someone (else the oracle would test nothing). Fails on the code before: 0 of those held.
     */
    @Test
    void sample_maskedResidents_linkedToOriginalsOnEveryKnownColumn_isKAnonymousAndLDiverse() throws Exception {
        var download = sandbox.sample(TestSandbox.as(Role.DEVELOPER), "public-health", "residents", "masked", "arrow", 10_000);
        var sample = ArrowResults.decode(download.data()).records();
        var originals = org.datasandbox.core.sample.LinkageOracle.residents(hubei.residents(), HubeiDemoData.Tables.RESIDENT_HEADER);
        var known = List.of("gender", "birth_date", "district", "income", "id_card", "name", "phone", "address");
        var linkage = new org.datasandbox.core.sample.LinkageOracle(sample, known).link(originals, "diagnosis", 5, 2);
        assertThat(sample).hasSizeGreaterThan(200);
        assertThat(linkage.unlinkableSampleRows()).isZero();
        assertThat(linkage.singledOut()).as(linkage.toString()).isZero();
        assertThat(linkage.sensitiveDisclosed()).as(linkage.toString()).isZero();
        // the issue's own figures
        assertThat(org.datasandbox.core.sample.LinkageOracle.rowsWithPopulationUniqueValue(sample, originals, "income", "diagnosis")).isZero();
        var demographics = new org.datasandbox.core.sample.LinkageOracle(sample, List.of("gender", "birth_date", "district"));
        assertThat(demographics.rowsInPopulationClassesBelow(originals, 5)).isZero();
        // diagnoses are served: the keep decision of the policy, protected by l-diversity
        assertThat(sample).anySatisfy(r -> assertThat(r.get("diagnosis")).isNotNull());

        JsonNode anonymity = JSON.readTree(download.reportJson()).at("/privacy/anonymity");
        assertThat(anonymity.at("/k").asInt()).isEqualTo(5);
        assertThat(anonymity.at("/l").asInt()).isEqualTo(2);
        assertThat(anonymity.at("/knownColumns").toString()).contains("gender", "birth_date", "district", "income", "phone");
        assertThat(anonymity.at("/sensitiveColumns").toString()).contains("diagnosis");
        assertThat(anonymity.at("/prosecutorMaxRisk").asDouble()).isLessThanOrEqualTo(0.2);
        assertThat(anonymity.at("/journalistMaxRisk").asDouble()).isLessThanOrEqualTo(0.2);
        assertThat(anonymity.at("/marketerRisk").asDouble()).isBetween(0.0, 0.2);
        assertThat(anonymity.at("/sampleUniqueShare").asDouble()).isZero();
        assertThat(anonymity.at("/populationUniqueShare").asDouble()).isZero();
        assertThat(anonymity.at("/populationBelowKShare").asDouble()).isZero();
    }

    /**
     * Finding "exact copies of originals 2": birth dates on 1 January, truncated to their year, come out
     * unchanged, yet no row is served as recorded; the count must say so (before: every row counted).
     */
    @Test
    void sample_maskedReport_exactCopiesCountsOnlyRowsServedVerbatim() throws Exception {
        StringBuilder csv = new StringBuilder("pid,birth,city\n");
        for (int i = 0; i < 60; i++) {
            csv.append(i).append(',').append(1950 + i % 6).append("-01-01,C").append(i % 2).append('\n');
        }
        var admin = TestSandbox.as(Role.ADMIN);
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "births", "", csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("birth", org.datasandbox.guard.catalog.ColumnType.DATE));
        sandbox.applyPolicy(admin, "kind: table-policy\ntable: births\ncolumns:\n"
                + "  - {name: pid, role: privacy_unit, mask: pseudonym}\n"
                + "  - {name: birth, role: quasi_identifier, mask: {function: date_truncate, unit: year}}\n"
                + "  - {name: city, role: dimension}\n");
        sandbox.applyPolicy(admin, "kind: scenario\nid: births-study\npurpose: exact copies\n"
                + "developers: [\"Wang Fang\"]\ngrants:\n  births: [\"*\"]\n");
        var download = sandbox.sample(TestSandbox.as(Role.DEVELOPER), "births-study", "births", "masked", "arrow", 100);
        var rows = ArrowResults.decode(download.data()).records();
        assertThat(rows).hasSize(60).allSatisfy(r -> assertThat(r.get("birth")).isNotNull());
        JsonNode report = JSON.readTree(download.reportJson());
        assertThat(report.at("/privacy/exactMatches").asLong()).isZero();
        assertThat(report.at("/privacy/anonymity/verbatimRows").asLong()).isZero();
    }

    /** Serving diagnoses unmasked is the admin's written decision, in the ledger with the policy. */
    @Test
    void applyPolicy_keepOfASensitiveAttribute_isRecordedWithItsReason() throws Exception {
        String ledger = Files.readString(TestSandbox.dataDir().resolve("ledger/ledger.jsonl"));
        assertThat(ledger.lines().filter(l -> l.contains("policy.applied") && l.contains("\"residents\"")))
                .anySatisfy(l -> assertThat(l).contains("\"keptUnmasked\":\"diagnosis: case-mix jobs need real diagnoses"));
    }

    /** Finding "constant seed": two scenarios get other people, not the same people under other pseudonyms. */
    @Test
    void sample_selectionIsKeyedPerScenario() {
        var developer = TestSandbox.as(Role.DEVELOPER);
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), "kind: scenario\nid: selection-study\npurpose: another application\n"
                + "developers: [\"Wang Fang\"]\ngrants:\n  patients: [\"*\"]\n");
        var first = ArrowResults.decode(sandbox.sample(developer, "public-health", "patients", "masked", "arrow", 10_000).data());
        var second = ArrowResults.decode(sandbox.sample(developer, "selection-study", "patients", "masked", "arrow", 10_000).data());
        // everything but the pseudonym: the same people would give the same multiset of masked rows
        java.util.function.Function<ArrowResults.Table, List<String>> rows = t -> t.rows().stream()
                .map(r -> r.subList(1, r.size()).toString()).sorted().toList();
        assertThat(rows.apply(first)).isNotEqualTo(rows.apply(second));
    }

    @Test
    void sample_synthetic_linkedTablesJoin_formatsAreValid_andNothingIsCopied() throws Exception {
        var developer = TestSandbox.as(Role.DEVELOPER);
        var residents = sandbox.sample(developer, "public-health", "residents", "synthetic", "arrow", 10_000);
        var visits = sandbox.sample(developer, "public-health", "medical_visits", "synthetic", "arrow", 10_000);
        var people = ArrowResults.decode(residents.data());
        var ids = people.records().stream().map(r -> r.get("person_id")).collect(java.util.stream.Collectors.toSet());
        assertThat(ids).hasSize(people.rows().size());
        var visitRows = ArrowResults.decode(visits.data()).records();
        assertThat(visitRows).isNotEmpty().allSatisfy(v -> assertThat(ids).contains(v.get("person_id")));
        assertThat(people.records()).allSatisfy(r -> {
            assertThat(org.datasandbox.masking.id.ResidentIdNumber.isValid((String) r.get("id_card"))).isTrue();
            assertThat(org.datasandbox.masking.id.MobileNumber.isValid((String) r.get("phone"))).isTrue();
            if (r.get("birth_date") != null) { // a made-up ID number encodes the row's birth date, as a real one does
                assertThat(org.datasandbox.masking.id.ResidentIdNumber.birthDate((String) r.get("id_card")))
                        .contains((java.time.LocalDate) r.get("birth_date"));
            }
        });
        JsonNode report = JSON.readTree(residents.reportJson());
        assertThat(report.get("kind").asText()).isEqualTo("synthetic");
        // a DP release: no figure computed against the originals travels with it
        assertThat(report.has("fidelity")).isFalse();
        assertThat(report.toString()).doesNotContain("closestRecord").doesNotContain("exactMatches");
        assertThat(new java.math.BigDecimal(report.at("/epsilon").asText())).isLessThanOrEqualTo(java.math.BigDecimal.ONE);
        assertThat(report.at("/delta").asDouble()).isGreaterThan(0).isLessThanOrEqualTo(1e-6); // district, diagnosis: partition selection
        assertThat(report.at("/dependencies").size()).isEqualTo(5); // gender, birth_date, district, income, diagnosis
        assertThat(report.at("/columns/income/source").asText()).isEqualTo("model");
        assertThat(report.at("/columns/phone/source").asText()).isEqualTo("made up");
        String ledger = Files.readString(TestSandbox.dataDir().resolve("ledger/ledger.jsonl"));
        assertThat(ledger).contains("sample.model_fitted").contains("\"kind\":\"synthetic\"");
    }

    @Test
    void sample_csvAndParquet_areFilesOfTheGrantedColumns() {
        var developer = TestSandbox.as(Role.DEVELOPER);
        var csv = sandbox.sample(developer, "public-health", "patients", "masked", "csv", 20);
        String text = new String(csv.data(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text.lines().findFirst().orElseThrow()).startsWith("id,age,sex,sample_yr");
        assertThat(text.lines().count()).isEqualTo(21);
        var parquet = sandbox.sample(developer, "public-health", "patients", "synthetic", "parquet", 20).data();
        assertThat(new String(parquet, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        assertThat(new String(parquet, parquet.length - 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        assertThatThrownBy(() -> sandbox.sample(developer, "public-health", "patients", "masked", "xlsx", 20))
                .hasMessageContaining("arrow, parquet or csv");
        assertThatThrownBy(() -> sandbox.sample(developer, "public-health", "patients", "real", "csv", 20))
                .hasMessageContaining("masked or synthetic");
    }

    @Test
    void sample_report_namesAndMeasuresOnlyTheGrantedColumns() throws Exception {
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), "kind: scenario\nid: narrow-study\npurpose: few columns\n"
                + "developers: [\"Wang Fang\"]\ngrants:\n  patients: [id, sex, sample_yr]\n");
        for (String kind : List.of("masked", "synthetic")) {
            var download = sandbox.sample(TestSandbox.as(Role.DEVELOPER), "narrow-study", "patients", kind, "csv", 50);
            String report = new String(download.reportJson(), java.nio.charset.StandardCharsets.UTF_8);
            JsonNode json = JSON.readTree(report);
            if (kind.equals("masked")) {
                assertThat(json.at("/utility/columns").fieldNames()).toIterable()
                        .containsExactlyInAnyOrder("sex", "sample_yr");
            } else {
                assertThat(json.at("/columns").fieldNames()).toIterable().containsExactlyInAnyOrder("id", "sex", "sample_yr");
            }
            for (String hidden : List.of("age", "kappa", "lambda", "creatinine", "futime", "chapter", "death")) {
                assertThat(report).as(kind).doesNotContain("\"" + hidden + "\"").doesNotContain(hidden + " <- ")
                        .doesNotContain("<- " + hidden);
            }
        }
        var wide = sandbox.sample(TestSandbox.as(Role.DEVELOPER), "public-health", "patients", "masked", "csv", 50);
        assertThat(JSON.readTree(wide.reportJson()).at("/utility/columns").has("kappa")).isTrue();
    }

    @Test
    void sample_kAnonymityPolicy_suppressesRareCombinations() throws Exception {
        StringBuilder csv = new StringBuilder("pid,zip,age,visits\n");
        for (int i = 0; i < 55; i++) {
            // fifty people in their thirties, and five alone in their decade
            csv.append(i).append(",Z").append(i / 5).append(',').append(i < 50 ? 30 + i % 5 : 60 + 10 * (i - 50))
                    .append(',').append(i % 7).append('\n');
        }
        var admin = TestSandbox.as(Role.ADMIN);
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "clinic", "", csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());
        sandbox.applyPolicy(admin, "kind: table-policy\ntable: clinic\nsamples: {k_anonymity: 3}\ncolumns:\n"
                + "  - {name: pid, role: privacy_unit, mask: pseudonym}\n"
                + "  - {name: zip, role: dimension}\n"
                + "  - {name: age, role: quasi_identifier, bounds: [0, 120], bucket: {width: 10}, mask: {function: band, width: 10}}\n"
                + "  - {name: visits, role: measure, bounds: [0, 10]}\n");
        sandbox.applyPolicy(admin, "kind: scenario\nid: clinic-study\npurpose: k-anonymity of samples\n"
                + "developers: [\"Wang Fang\"]\ngrants:\n  clinic: [\"*\"]\n");
        var download = sandbox.sample(TestSandbox.as(Role.DEVELOPER), "", "clinic", "masked", "arrow", 100);
        assertThat(download.scenario()).isEqualTo("clinic-study");
        var served = ArrowResults.decode(download.data()).rows();
        JsonNode report = JSON.readTree(download.reportJson());
        // generalization before suppression: at most 5% of the 55 people dropped, every class of 3 or more
        assertThat(report.at("/privacy/suppressedRows").asLong()).isLessThanOrEqualTo(2);
        assertThat(served.size() + report.at("/privacy/suppressedRows").asLong()).isEqualTo(55);
        assertThat(report.at("/privacy/anonymity/k").asInt()).isEqualTo(3);
        assertThat(report.at("/privacy/anonymity/prosecutorMaxRisk").asDouble()).isLessThanOrEqualTo(1.0 / 3);
        assertThat(report.at("/privacy/anonymity/knownColumns").toString()).contains("zip", "age", "visits");

        // a linked table keeps only the rows of people still in the parent's sample
        StringBuilder visits = new StringBuilder("visit,pid,cost\n");
        for (int i = 0; i < 110; i++) {
            visits.append(i).append(',').append(i % 55).append(',').append(10 + i % 9).append('\n');
        }
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "clinic_visits", "", visits.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());
        sandbox.applyPolicy(admin, "kind: table-policy\ntable: clinic_visits\ncolumns:\n"
                + "  - {name: visit, role: direct_identifier, mask: nullify}\n"
                + "  - {name: pid, role: privacy_unit, mask: pseudonym}\n"
                + "  - {name: cost, role: measure, bounds: [0, 100]}\n"
                + "joins:\n  - {column: pid, references: clinic.pid}\n");
        sandbox.applyPolicy(admin, "kind: scenario\nid: clinic-study\npurpose: k-anonymity of samples\n"
                + "developers: [\"Wang Fang\"]\ngrants:\n  clinic: [\"*\"]\n  clinic_visits: [\"*\"]\n");
        var people = ArrowResults.decode(sandbox.sample(TestSandbox.as(Role.DEVELOPER), "clinic-study", "clinic", "masked", "arrow", 100).data());
        var linked = ArrowResults.decode(sandbox.sample(TestSandbox.as(Role.DEVELOPER), "clinic-study", "clinic_visits", "masked", "arrow", 1000).data());
        var kept = people.records().stream().map(r -> r.get("pid")).collect(java.util.stream.Collectors.toSet());
        assertThat(linked.records()).isNotEmpty().allSatisfy(r -> assertThat(kept).contains(r.get("pid")));
        assertThat(linked.records().size()).isLessThanOrEqualTo(2 * kept.size());
    }

    @Test
    void sample_pseudonymsAreKeyedPerScenario() {
        var developer = TestSandbox.as(Role.DEVELOPER);
        sandbox.applyPolicy(TestSandbox.as(Role.ADMIN), "kind: scenario\nid: second-study\npurpose: another application\n"
                + "developers: [\"Wang Fang\"]\ngrants:\n  arrests: [\"*\"]\n");
        var first = ArrowResults.decode(sandbox.sample(developer, "public-health", "arrests", "masked", "arrow", 10_000).data());
        var second = ArrowResults.decode(sandbox.sample(developer, "second-study", "arrests", "masked", "arrow", 10_000).data());
        String unit = first.columns().get(0);
        var a = first.records().stream().map(r -> r.get(unit)).collect(java.util.stream.Collectors.toSet());
        var b = second.records().stream().map(r -> r.get(unit)).collect(java.util.stream.Collectors.toSet());
        assertThat(a).isNotEmpty().doesNotContainAnyElementsOf(b); // other pseudonyms (and other people: keyed selection)
        assertThatThrownBy(() -> sandbox.sample(developer, "", "arrests", "masked", "arrow", 10))
                .hasMessageContaining("several of your scenarios (public-health, second-study)");
        assertThatThrownBy(() -> sandbox.sample(developer, "second-study", "residents", "masked", "arrow", 10))
                .hasMessageContaining("not found");
    }

    @Test
    void syntheticSamples_spendTheScenarioBudget_oncePerModel_linkedTablesToo_andNeverPastTheCap() throws Exception {
        var admin = TestSandbox.as(Role.ADMIN);
        var developer = TestSandbox.as(Role.DEVELOPER);
        sandbox.applyPolicy(admin, "kind: scenario\nid: budget-study\npurpose: budget accounting\n"
                + "developers: [\"Wang Fang\"]\ngrants:\n  residents: [\"*\"]\n  medical_visits: [\"*\"]\n"
                + "budget: {epsilon: 2.5, delta: 1.0e-5}\n");
        var visits = sandbox.sample(developer, "budget-study", "medical_visits", "synthetic", "arrow", 100);
        // the caller is told what the sandbox expected before it spent the budget, from the registered size
        JsonNode estimate = JSON.readTree(visits.reportJson()).path("estimateBeforeFit");
        assertThat(estimate.path("units").asDouble()).isPositive();
        assertThat(estimate.path("expectedDistributionError").has("hospital")).isTrue();
        // the visits' model and their parents' (residents) model, each charged to both tables' accounts
        List<String> charged = spends("budget-study", "residents");
        assertThat(charged).hasSize(2).anyMatch(r -> r.startsWith("synthetic-model:residents:v"))
                .anyMatch(r -> r.startsWith("synthetic-model:medical_visits:v"));
        assertThat(spends("budget-study", "medical_visits")).containsExactlyInAnyOrderElementsOf(charged);
        sandbox.sample(developer, "budget-study", "residents", "synthetic", "csv", 100);
        assertThat(spends("budget-study", "residents")).hasSize(2); // the same model again releases nothing new

        // a new policy version is a new model: with 2 of 2.5 spent, it cannot be paid and nothing is served;
        // the refusal comes before the fit: no model of the new version is fitted for it
        sandbox.applyPolicy(admin, Files.readString(TestSandbox.examples().resolve("policies/residents.yaml")));
        long fitted = fits("residents");
        assertThatThrownBy(() -> sandbox.sample(developer, "budget-study", "residents", "synthetic", "arrow", 100))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_EXHAUSTED))
                .hasMessageContaining("budget-study").hasMessageContaining("residents").hasMessageContaining("before fitting");
        assertThat(spends("budget-study", "residents")).hasSize(2);
        assertThat(fits("residents")).isEqualTo(fitted);
        // another scenario has its own budget
        sandbox.sample(developer, "public-health", "residents", "synthetic", "arrow", 100);
        assertThat(spends("public-health", "residents")).anyMatch(r -> r.startsWith("synthetic-model:residents:v")
                && !charged.contains(r));
    }

    /** How many synthetic models of a table were fitted, from the ledger. */
    private static long fits(String table) throws Exception {
        return Files.readAllLines(TestSandbox.dataDir().resolve("ledger/ledger.jsonl")).stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).filter(e -> e.path("action").asText().equals("sample.model_fitted") && e.path("subject").asText().equals(table)).count();
    }

    /** The references charged to a scenario's account of a table, from the ledger. */
    private static List<String> spends(String scenario, String table) throws Exception {
        List<String> references = new ArrayList<>();
        for (String line : Files.readAllLines(TestSandbox.dataDir().resolve("ledger/ledger.jsonl"))) {
            JsonNode entry = JSON.readTree(line);
            if (entry.path("action").asText().equals("budget.spent") && entry.path("subject").asText().equals(table)
                    && entry.at("/details/scenario").asText().equals(scenario)) {
                references.add(entry.at("/details/reference").asText());
            }
        }
        return references;
    }

    @Test
    void timestampColumn_draftPolicyApplies_maskedSampleTruncatesIt_syntheticLeavesItOut() throws Exception {
        StringBuilder csv = new StringBuilder("patient_id,seen_at,ward\n");
        for (int i = 0; i < 60; i++) {
            // two months: a month shared by every row would show nothing and be removed
            csv.append(i).append(",2024-0").append(3 + i % 2).append('-').append(String.format("%02d", 1 + i % 28)).append("T08:").append(10 + i % 50)
                    .append(":00Z,W").append(i % 3).append('\n');
        }
        var admin = TestSandbox.as(Role.ADMIN);
        sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "ward_visits", "", csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("seen_at", org.datasandbox.guard.catalog.ColumnType.TIMESTAMP));
        String draft = sandbox.proposePolicy(admin, "ward_visits");
        assertThat(draft).contains("  - name: seen_at\n    type: timestamp\n    role: quasi_identifier\n"
                + "    mask:\n      function: date_truncate\n      unit: month\n");
        sandbox.applyPolicy(admin, draft);
        sandbox.applyPolicy(admin, "kind: scenario\nid: ward-study\npurpose: timestamps\n"
                + "developers: [\"Wang Fang\"]\ngrants:\n  ward_visits: [\"*\"]\n");
        var developer = TestSandbox.as(Role.DEVELOPER);
        var masked = ArrowResults.decode(sandbox.sample(developer, "ward-study", "ward_visits", "masked", "arrow", 100).data());
        assertThat(masked.columns()).contains("seen_at");
        long march = java.time.Instant.parse("2024-03-01T00:00:00Z").getEpochSecond() * 1_000_000; // Arrow microseconds
        long april = java.time.Instant.parse("2024-04-01T00:00:00Z").getEpochSecond() * 1_000_000;
        assertThat(masked.records()).isNotEmpty().allSatisfy(r -> assertThat(r.get("seen_at")).isIn(march, april));
        assertThat(masked.records()).anySatisfy(r -> assertThat(r.get("seen_at")).isEqualTo(march))
                .anySatisfy(r -> assertThat(r.get("seen_at")).isEqualTo(april));
        var synthetic = ArrowResults.decode(sandbox.sample(developer, "ward-study", "ward_visits", "synthetic", "arrow", 100).data());
        assertThat(synthetic.columns()).contains("ward").doesNotContain("seen_at");
        sandbox.sample(developer, "ward-study", "ward_visits", "masked", "csv", 10); // served from the made sample
        String ledger = Files.readString(TestSandbox.dataDir().resolve("ledger/ledger.jsonl"));
        assertThat(ledger.lines().filter(l -> l.contains("sample.created") && l.contains("ward_visits"))).hasSize(2);
    }

    @Test
    void proposePolicy_residents_recognizesTheIdentifiersAndParses() throws Exception {
        String draft = sandbox.proposePolicy(TestSandbox.as(Role.ADMIN), "residents");
        var parsed = new org.datasandbox.core.policy.PolicyParser(org.datasandbox.core.crypto.CryptoProfile.of(
                org.datasandbox.core.crypto.CryptoProfile.Kind.SM)).parse(draft).table().orElseThrow();
        Map<String, String> roles = new java.util.LinkedHashMap<>();
        parsed.columns().forEach(c -> roles.put(c.name(), c.role().name().toLowerCase() + " " + c.mask().function()));
        assertThat(roles).containsEntry("person_id", "privacy_unit pseudonym")
                .containsEntry("id_card", "direct_identifier resident_id")
                .containsEntry("name", "direct_identifier chinese_name")
                .containsEntry("phone", "direct_identifier mobile")
                .containsEntry("address", "direct_identifier address")
                .containsEntry("birth_date", "quasi_identifier date_truncate")
                .containsEntry("district", "dimension keep")
                .containsEntry("diagnosis", "sensitive_attribute nullify");
        assertThat(roles.get("income")).startsWith("measure");
        for (String[] row : hubei.residents().subList(0, 200)) {
            assertThat(draft).doesNotContain(row[1]).doesNotContain(row[2]).doesNotContain(row[3]).doesNotContain(row[7]);
        }
        assertThatThrownBy(() -> sandbox.proposePolicy(TestSandbox.as(Role.DEVELOPER), "residents"))
                .hasMessageContaining("Access denied");
    }

    @Test
    void devRun_joinOnSamples_matchesTheJoinComputedFromTheDownloadedSamples() {
        var developer = TestSandbox.as(Role.DEVELOPER);
        var result = sandbox.devRun(developer, "public-health",
                "SELECT r.gender, COUNT(*) AS visits FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.gender");
        // the oracle: the same join done here on the masked samples the developer can download (same pseudonyms),
        // keeping the groups of at least k = 10 people, as the scenario's output rule says
        var residents = ArrowResults.decode(sandbox.sample(developer, "public-health", "residents", "masked", "arrow", 10_000).data());
        var visits = ArrowResults.decode(sandbox.sample(developer, "public-health", "medical_visits", "masked", "arrow", 10_000).data());
        Map<Object, Object> genderOf = new java.util.HashMap<>();
        residents.records().forEach(r -> genderOf.put(r.get("person_id"), r.get("gender")));
        Map<Object, Long> count = new java.util.HashMap<>();
        Map<Object, java.util.Set<Object>> people = new java.util.HashMap<>();
        for (var visit : visits.records()) {
            Object person = visit.get("person_id");
            if (person != null && genderOf.containsKey(person)) {
                Object gender = genderOf.get(person);
                count.merge(gender, 1L, Long::sum);
                people.computeIfAbsent(gender, g -> new java.util.HashSet<>()).add(person);
            }
        }
        Map<Object, Long> expected = new java.util.HashMap<>();
        count.forEach((gender, n) -> {
            if (people.get(gender).size() >= 10) {
                expected.put(gender, n);
            }
        });
        Map<Object, Long> released = new java.util.HashMap<>();
        ArrowResults.decode(result.arrowIpc()).records().forEach(r -> released.put(r.get("gender"), ((Number) r.get("visits")).longValue()));
        assertThat(expected).isNotEmpty();
        assertThat(released).isEqualTo(expected);
    }

    @Test
    void submitJob_rowLevel_isDeniedWithRule() {
        assertThatThrownBy(() -> sandbox.submitJob(TestSandbox.as(Role.DEVELOPER), "public-health", "SELECT name, phone FROM residents"))
                .isInstanceOf(SandboxException.class)
                .satisfies(e -> assertThat(((SandboxException) e).code()).isEqualTo(ErrorCode.POLICY_DENIED))
                .hasMessageContaining("ROW_LEVEL_OUTPUT");
    }
}
