package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.LedgerVerifier;
import org.datasandbox.core.report.AnnualReport;
import org.datasandbox.core.report.AnnualReports;
import org.datasandbox.core.report.AuditExtracts;
import org.datasandbox.core.report.ReportRow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The annual report and the audit extract over the real TLS server, on the fixture's real ledger (uploads, policies,
 * jobs of the public-health scenario): the report's figures against counts made from the ledger file by this test,
 * the report verified by computing it again, the extract verified offline and failing once changed.
 */
class ReportRpcTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static GrpcFixture fixture;
    private static SandboxClient auditor;

    @BeforeAll
    static void start() throws Exception {
        fixture = GrpcFixture.get();
        auditor = fixture.client(Role.AUDITOR);
        SandboxClient developer = fixture.client(Role.DEVELOPER);
        // a released job and a refused one of the public-health scenario, so that the report has figures
        var ticket = developer.submitJob(GrpcFixture.SCENARIO,
                "SELECT district, COUNT(*) AS people FROM residents GROUP BY district");
        developer.watchJob(ticket.getJobId(), event -> { });
        try {
            developer.submitJob(GrpcFixture.SCENARIO, "SELECT * FROM residents");
        } catch (StatusRuntimeException refused) {
            // refused by the guard: an incident the report counts
        }
    }

    private static Path ledgerFile() {
        return fixture.dataDir.resolve("ledger").resolve("ledger.jsonl");
    }

    @Test
    void annualReport_figuresMatchACountOfTheLedgerFile_andTheReportVerifies() throws Exception {
        int year = Instant.now().atZone(SHANGHAI).getYear();
        AnnualReport report = AnnualReports.JSON.readValue(auditor.annualReport(year), AnnualReport.class);

        // oracle: the lines of the ledger file up to the report's checkpoint, counted here
        Map<String, long[]> counts = new HashMap<>(); // scenario -> submitted, released, guard refusals
        Set<String> scenarios = new HashSet<>();
        for (String line : Files.readAllLines(ledgerFile())) {
            JsonNode node = JSON.readTree(line);
            if (node.get("seq").asLong() > report.checkpointSequence()
                    || Instant.parse(node.get("time").asText()).atZone(SHANGHAI).getYear() != year) {
                continue;
            }
            JsonNode scenario = node.get("details").get("scenario");
            if (scenario == null) {
                continue;
            }
            long[] c = counts.computeIfAbsent(scenario.asText(), s -> new long[3]);
            switch (node.get("action").asText()) {
                case "job.submitted" -> c[0]++;
                case "job.released" -> c[1]++;
                case "guard.decision" -> c[2] += node.get("details").get("decision").asText().equals("REJECT") ? 1 : 0;
                default -> {
                }
            }
            scenarios.add(scenario.asText());
        }
        ReportRow health = report.rows().stream().filter(r -> r.scenario().equals(GrpcFixture.SCENARIO)).findFirst()
                .orElseThrow();
        long[] expected = counts.get(GrpcFixture.SCENARIO);
        assertThat(expected[0]).isPositive();
        assertThat(health.jobsRun()).isEqualTo(expected[0]);
        assertThat(health.outputsReleased()).isEqualTo(expected[1]);
        assertThat(health.refusals()).isGreaterThanOrEqualTo(expected[2]);
        assertThat(health.datasets()).contains("residents");
        assertThat(report.rows()).extracting(ReportRow::scenario).isSubsetOf(scenarios);
        assertThat(report.checkpointSignature()).isNotEmpty();

        assertThat(AnnualReports.verify(fixture.dataDir.resolve("ledger"), report)).isNull();
        assertThat(fixture.sandbox.ledger().entries()).anyMatch(e -> e.action().equals("report.annual")
                && e.details().get("checkpoint").equals(report.checkpointSequence() + ":" + report.checkpointHash()));
    }

    @Test
    void exportAudit_verifiesOffline_holdsOnlyTheScenario_andFailsWhenChanged() throws Exception {
        byte[] extract = auditor.exportAudit("2000-01-01", LocalDate.now(SHANGHAI).plusDays(1).toString(), "",
                GrpcFixture.SCENARIO).getBytes(StandardCharsets.UTF_8);
        String fingerprint = LedgerVerifier.verify(fixture.dataDir.resolve("ledger")).keyFingerprint();

        AuditExtracts.Verification verification = AuditExtracts.verify(extract, fingerprint);
        assertThat(verification.valid()).as(verification.problem()).isTrue();
        assertThat(verification.entries()).isNotEmpty();
        assertThat(verification.entries()).allSatisfy(e -> assertThat(e.action()).doesNotStartWith("dataset.")
                .isNotEqualTo("rpc"));
        assertThat(new String(extract, StandardCharsets.UTF_8)).doesNotContain("quality_probe")
                .doesNotContain("\"rpc\"");

        ObjectNode changed = (ObjectNode) JSON.readTree(extract);
        ArrayNode entries = (ArrayNode) changed.get("signed").get("entries");
        entries.remove(entries.size() - 1);
        assertThat(AuditExtracts.verify(JSON.writeValueAsBytes(changed), fingerprint).valid()).isFalse();
    }

    @Test
    void exportAudit_badDates_areInvalidArguments() {
        StatusRuntimeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
                () -> auditor.exportAudit("yesterday", "2026-01-01", "", ""));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        StatusRuntimeException reversed = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
                () -> auditor.exportAudit("2026-02-01", "2026-01-01", "", ""));
        assertThat(reversed.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
}
