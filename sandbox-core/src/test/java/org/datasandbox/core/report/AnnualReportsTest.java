package org.datasandbox.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnualReportsTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @TempDir
    Path temp;

    /** The oracle: counts made straight from the ledger file's JSON lines, without the report's classes. */
    private static Map<String, long[]> countFromFile(Path ledgerFile, int year) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> jobs = new HashMap<>();
        java.util.Set<String> refused = new java.util.HashSet<>();
        Map<String, long[]> counts = new HashMap<>(); // scenario -> jobs, released, held, votes, refusals
        for (String line : Files.readAllLines(ledgerFile)) {
            JsonNode node = json.readTree(line);
            if (Instant.parse(node.get("time").asText()).atZone(SHANGHAI).getYear() != year) {
                continue;
            }
            String action = node.get("action").asText();
            JsonNode details = node.get("details");
            String scenario = details.has("scenario") ? details.get("scenario").asText()
                    : details.has("job") ? jobs.get(details.get("job").asText())
                    : action.startsWith("job.") ? jobs.get(node.get("subject").asText()) : null;
            if (action.equals("job.submitted")) {
                jobs.put(node.get("subject").asText(), scenario);
            }
            if (scenario == null) {
                continue;
            }
            long[] c = counts.computeIfAbsent(scenario, s -> new long[5]);
            switch (action) {
                case "job.submitted" -> c[0]++;
                case "job.released" -> c[1]++;
                case "release.held" -> c[2]++;
                case "release.vote" -> c[3]++;
                case "guard.decision" -> c[4] += details.get("decision").asText().equals("REJECT")
                        && refused.add(node.get("subject").asText()) ? 1 : 0;
                case "job.failed" -> c[4] += java.util.Set.of("POLICY_DENIED", "SCENARIO_EXPIRED").contains(details.get("code").asText())
                        && refused.add(node.get("subject").asText()) ? 1 : 0;
                default -> {
                }
            }
        }
        return counts;
    }

    @Test
    void compute_generatedLedger_matchesCountsMadeFromTheLedgerFile() throws Exception {
        EvidenceLedger ledger = ReportLedgers.generate(temp.resolve("ledger"), 7);
        int year = Instant.now().atZone(SHANGHAI).getYear();
        AnnualReport report = AnnualReports.compute(ledger.directory(), year, SHANGHAI);
        Map<String, long[]> oracle = countFromFile(ledger.directory().resolve("ledger.jsonl"), year);

        assertThat(report.rows()).extracting(ReportRow::scenario)
                .containsExactlyInAnyOrderElementsOf(oracle.keySet());
        for (ReportRow row : report.rows()) {
            long[] c = oracle.get(row.scenario());
            assertThat(new long[] {row.jobsRun(), row.outputsReleased(), row.outputsReviewed(), row.reviewVotes(),
                    row.refusals()}).as(row.scenario()).containsExactly(c);
        }
        assertThat(report.rows()).filteredOn(r -> r.scenario().equals("clinic-visits")).singleElement()
                .satisfies(r -> {
                    assertThat(r.operator()).isEqualTo("Wuhan Health Bureau");
                    assertThat(r.datasets()).containsExactly("visits");
                });
        assertThat(report.rows()).filteredOn(r -> r.scenario().equals("bus-lines")).singleElement()
                .satisfies(r -> {
                    assertThat(r.operator()).isEqualTo("Yichang Transport Office");
                    assertThat(r.revocations()).isEqualTo(1);
                });
        assertThat(report.rows()).filteredOn(r -> r.scenario().equals("public-health")).singleElement()
                .extracting(ReportRow::operator).isEqualTo(LedgerAttribution.NO_OPERATOR);
        assertThat(report.checkpointSequence()).isEqualTo(ledger.size());
        assertThat(report.firstSequence()).isEqualTo(1);
        assertThat(report.lastSequence()).isEqualTo(ledger.size());
    }

    @Test
    void compute_jobFailedPolicyDenied_countsAsOneRefusalPerJob() throws Exception {
        EvidenceLedger ledger = EvidenceLedger.open(temp.resolve("ledger"),
                org.datasandbox.core.crypto.CryptoProfile.of(org.datasandbox.core.crypto.CryptoProfile.Kind.SM));
        String scenario = "clinic-visits";
        for (String[] job : new String[][] {{"job-run-denied", "ALLOW", "POLICY_DENIED"},
                {"job-guard-denied", "REJECT", "POLICY_DENIED"}, {"job-crashed", "ALLOW", "EXECUTION_FAILED"},
                {"job-rejected-output", "ALLOW", "REJECTED"}, {"job-expired", "ALLOW", "SCENARIO_EXPIRED"}}) {
            ledger.append(ReportLedgers.ALICE, "job.submitted", job[0], Map.of("scenario", scenario, "sqlHash", "h"));
            ledger.append(ReportLedgers.ALICE, "guard.decision", job[0], Map.of("scenario", scenario,
                    "decision", job[1], "tables", "visits"));
            ledger.append(ReportLedgers.ALICE, "job.failed", job[0], Map.of("code", job[2]));
        }
        ledger.append(ReportLedgers.ALICE, "job.refused", "job-limit", Map.of("scenario", scenario,
                "code", "TOO_MANY_JOBS"));
        ledger.checkpoint();
        int year = Instant.now().atZone(SHANGHAI).getYear();

        ReportRow row = AnnualReports.compute(ledger.directory(), year, SHANGHAI).rows().get(0);

        assertThat(row.refusals()).as("denied when running, denied by the guard, scenario out of force, refused at "
                + "submission").isEqualTo(4);
        assertThat(countFromFile(ledger.directory().resolve("ledger.jsonl"), year).get(scenario)[4])
                .as("the file's count, without job.refused").isEqualTo(3);
    }

    @Test
    void compute_epsilonSpent_isTheExactSumOfTheLedgersFigures() throws Exception {
        EvidenceLedger ledger = ReportLedgers.generate(temp.resolve("ledger"), 8);
        int year = Instant.now().atZone(SHANGHAI).getYear();
        AnnualReport report = AnnualReports.compute(ledger.directory(), year, SHANGHAI);
        Map<String, BigDecimal> sums = new HashMap<>();
        for (var entry : ledger.entries()) {
            if (entry.action().equals("budget.spent")) {
                sums.merge(entry.details().get("scenario"), new BigDecimal(entry.details().get("epsilon")),
                        BigDecimal::add);
            }
        }
        for (ReportRow row : report.rows()) {
            assertThat(new BigDecimal(row.epsilonSpent())).as(row.scenario())
                    .isEqualByComparingTo(sums.getOrDefault(row.scenario(), BigDecimal.ZERO));
        }
    }

    @Test
    void compute_anotherYear_hasNoRows() throws Exception {
        EvidenceLedger ledger = ReportLedgers.generate(temp.resolve("ledger"), 9);
        AnnualReport report = AnnualReports.compute(ledger.directory(), 2001, SHANGHAI);
        assertThat(report.rows()).isEmpty();
        assertThat(report.firstSequence()).isZero();
    }

    @Test
    void verify_sameLedgerLater_passes_changedFigureOrOtherLedger_fails() throws Exception {
        EvidenceLedger ledger = ReportLedgers.generate(temp.resolve("ledger"), 10);
        int year = Instant.now().atZone(SHANGHAI).getYear();
        AnnualReport report = AnnualReports.compute(ledger.directory(), year, SHANGHAI);
        // entries appended after the report do not change it: it is computed up to its checkpoint
        ledger.append(ReportLedgers.ALICE, "job.submitted", "job-late", Map.of("scenario", "clinic-visits"));
        assertThat(AnnualReports.verify(ledger.directory(), report)).isNull();

        ReportRow first = report.rows().get(0);
        ReportRow inflated = new ReportRow(first.operator(), first.scenario(), first.datasets(), first.jobsRun() + 1,
                first.outputsReleased(), first.outputsReviewed(), first.reviewVotes(), first.epsilonSpent(),
                first.refusals(), first.revocations());
        List<ReportRow> rows = new java.util.ArrayList<>(report.rows());
        rows.set(0, inflated);
        AnnualReport changed = new AnnualReport(report.year(), report.zone(), report.checkpointSequence(),
                report.checkpointHash(), report.checkpointSignature(), report.firstSequence(), report.lastSequence(), rows);
        assertThat(AnnualReports.verify(ledger.directory(), changed)).contains("differs");

        EvidenceLedger other = ReportLedgers.generate(temp.resolve("other").resolve("ledger"), 10);
        assertThat(AnnualReports.verify(other.directory(), report)).contains("checkpoint");
    }

    @Test
    void json_roundTrip_keepsTheReport() throws Exception {
        EvidenceLedger ledger = ReportLedgers.generate(temp.resolve("ledger"), 11);
        AnnualReport report = AnnualReports.compute(ledger.directory(), Instant.now().atZone(SHANGHAI).getYear(),
                SHANGHAI);
        byte[] json = AnnualReports.JSON.writeValueAsBytes(report);
        assertThat(AnnualReports.JSON.readValue(json, AnnualReport.class)).isEqualTo(report);
    }
}
