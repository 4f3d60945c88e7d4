package org.datasandbox.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.ledger.LedgerEntry;
import org.datasandbox.core.ledger.LedgerVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditExtractsTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private static AuditFilter allTime(String operator, String scenario) {
        return new AuditFilter(LocalDate.of(2000, 1, 1), LocalDate.of(2099, 12, 31), operator, scenario, SHANGHAI);
    }

    @Test
    void export_scenarioFilter_verifiesOnItsOwn_andHoldsExactlyTheScenariosEntries() throws Exception {
        EvidenceLedger ledger = ReportLedgers.generate(temp.resolve("ledger"), 21);
        byte[] extract = AuditExtracts.export(ledger, allTime("", "clinic-visits"));
        String fingerprint = LedgerVerifier.verify(ledger.directory()).keyFingerprint();

        AuditExtracts.Verification verification = AuditExtracts.verify(extract, fingerprint);
        assertThat(verification.problem()).isEmpty();
        assertThat(verification.valid()).isTrue();
        // oracle: the entries naming the scenario, or naming (details.job) or being (subject) one of its jobs
        List<LedgerEntry> all = ledger.entries();
        Set<String> jobs = all.stream().filter(e -> e.action().equals("job.submitted")
                && "clinic-visits".equals(e.details().get("scenario"))).map(LedgerEntry::subject).collect(Collectors.toSet());
        List<Long> expected = all.stream().filter(e -> "clinic-visits".equals(e.details().get("scenario"))
                        || jobs.contains(e.details().get("job")) || (e.action().startsWith("job.") && jobs.contains(e.subject())))
                .map(LedgerEntry::sequence).toList();
        assertThat(verification.entries()).extracting(LedgerEntry::sequence).containsExactlyElementsOf(expected);
        assertThat(verification.checkpoint().sequence()).isEqualTo(all.size());
    }

    @Test
    void export_leaksNothingOutsideItsFilter() throws Exception {
        EvidenceLedger ledger = ReportLedgers.generate(temp.resolve("ledger"), 22);
        String text = new String(AuditExtracts.export(ledger, allTime("Wuhan Health Bureau", "")), StandardCharsets.UTF_8);
        // the other operator, its developer, its scenario, its tables and its jobs appear nowhere
        List<LedgerEntry> all = ledger.entries();
        Set<String> otherJobs = all.stream().filter(e -> e.action().equals("job.submitted")
                && !"clinic-visits".equals(e.details().get("scenario"))).map(LedgerEntry::subject).collect(Collectors.toSet());
        assertThat(otherJobs).isNotEmpty();
        for (String secret : List.of("Yichang Transport Office", "Zhou Jie", "bus-lines", "trips", "public-health",
                "residents", "SubmitJob")) {
            assertThat(text).as(secret).doesNotContain(secret);
        }
        for (String job : otherJobs) {
            assertThat(text).doesNotContain("\"" + job + "\"").doesNotContain(job + "\\\"");
        }
        assertThat(text).contains("clinic-visits").contains("Li Na");
    }

    @Test
    void verify_tamperedExtracts_fail() throws Exception {
        EvidenceLedger ledger = ReportLedgers.generate(temp.resolve("ledger"), 23);
        byte[] extract = AuditExtracts.export(ledger, allTime("", "clinic-visits"));
        String fingerprint = LedgerVerifier.verify(ledger.directory()).keyFingerprint();

        // a selected entry's detail changed
        assertThat(AuditExtracts.verify(edit(extract, root -> {
            ArrayNode entries = (ArrayNode) root.with("signed").get("entries");
            entries.set(0, entries.get(0).asText().replace("\"clinic-visits\"", "\"clinic-visitz\""));
        }), fingerprint).valid()).isFalse();
        // an entry dropped
        assertThat(AuditExtracts.verify(edit(extract, root -> ((ArrayNode) root.with("signed").get("entries")).remove(0)),
                fingerprint).valid()).isFalse();
        // a hash of a left-out entry replaced
        assertThat(AuditExtracts.verify(edit(extract, root -> ((ArrayNode) root.with("signed").get("chain"))
                .set(0, "0".repeat(64))), fingerprint).valid()).isFalse();
        // the filter widened after the fact
        assertThat(AuditExtracts.verify(edit(extract, root -> ((ObjectNode) root.with("signed").get("filter"))
                .put("scenario", "")), fingerprint).valid()).isFalse();
        // the signature replaced by one over another document
        assertThat(AuditExtracts.verify(edit(extract, root -> root.put("signature",
                ledger.signDocument("{}".getBytes(StandardCharsets.UTF_8)))), fingerprint).valid()).isFalse();
        // a whole extract of another sandbox, checked against this sandbox's key
        EvidenceLedger other = ReportLedgers.generate(temp.resolve("other").resolve("ledger"), 23);
        AuditExtracts.Verification foreign = AuditExtracts.verify(AuditExtracts.export(other, allTime("", "")), fingerprint);
        assertThat(foreign.valid()).isFalse();
        assertThat(foreign.problem()).contains("not the expected one");
        // not JSON at all
        assertThat(AuditExtracts.verify("garbage".getBytes(StandardCharsets.UTF_8), fingerprint).valid()).isFalse();
        // and the untouched one still verifies
        assertThat(AuditExtracts.verify(extract, fingerprint).valid()).isTrue();
    }

    private interface Edit {
        void apply(ObjectNode root);
    }

    private static byte[] edit(byte[] extract, Edit edit) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(extract);
        edit.apply(root);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    @Test
    void export_period_selectsByDateInTheZone() throws Exception {
        EvidenceLedger ledger = ReportLedgers.generate(temp.resolve("ledger"), 24);
        byte[] extract = AuditExtracts.export(ledger, new AuditFilter(LocalDate.of(2001, 1, 1),
                LocalDate.of(2001, 12, 31), "", "", SHANGHAI));
        AuditExtracts.Verification verification = AuditExtracts.verify(extract, null);
        assertThat(verification.valid()).isTrue();
        assertThat(verification.entries()).isEmpty();
        JsonNode chain = JSON.readTree(extract).get("signed").get("chain");
        assertThat(chain.size()).isEqualTo((int) ledger.size());
    }
}
