package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.v1.JobEvent;
import org.datasandbox.api.v1.JobState;
import org.datasandbox.api.v1.JobTicket;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.release.ArrowResults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The whole flow over a real gRPC server with mutual TLS, in one JVM. */
class EndToEndFlowTest {
    private static GrpcFixture fixture;
    private static SandboxClient developer;
    private static ArrestsOracle arrests;

    @BeforeAll
    static void start() throws Exception {
        fixture = GrpcFixture.get();
        developer = fixture.client(Role.DEVELOPER);
        arrests = new ArrestsOracle(fixture.examples.resolve("data/arrests.csv"));
    }

    private static SandboxClient.Result runOnOriginals(String sql) {
        JobTicket ticket = developer.submitJob(GrpcFixture.SCENARIO, sql);
        List<JobEvent> events = new ArrayList<>();
        JobEvent last = developer.watchJob(ticket.getJobId(), events::add);
        assertThat(last.getState()).as(events.toString()).isEqualTo(JobState.RELEASED);
        assertThat(events.get(0).getState()).isEqualTo(JobState.QUEUED);
        return developer.fetchResult(ticket.getJobId());
    }

    @Test
    void maskedSample_residents_containsNoOriginalIdentifierValue() {
        ArrowResults.Table sample = developer.maskedSample("residents", 200);
        assertThat(sample.rows()).hasSizeGreaterThan(50);
        Set<String> originals = new HashSet<>();
        for (String[] row : fixture.hubei.residents()) {
            originals.addAll(List.of(row[0], row[1], row[2], row[3], row[7]));
        }
        for (var record : sample.records()) {
            for (String column : List.of("person_id", "id_card", "name", "phone", "address")) {
                assertThat(originals).as(column).doesNotContain(String.valueOf(record.get(column)));
            }
            // masked, or removed where even the masked form would single people out (k-anonymity)
            assertThat((String) record.get("phone")).satisfiesAnyOf(v -> assertThat(v).isNull(),
                    v -> assertThat(v).matches("1\\d\\d\\*{4}\\d{4}"));
            assertThat((String) record.get("id_card")).satisfiesAnyOf(v -> assertThat(v).isNull(),
                    v -> assertThat(v).matches("\\d{6}\\*{12}"));
        }
    }

    @Test
    void sample_syntheticPreview_returnsTheEstimateAndSpendsNothing() throws Exception {
        java.util.function.Supplier<Integer> charges = () -> developer.budget(GrpcFixture.SCENARIO).getTablesList().stream()
                .mapToInt(org.datasandbox.api.v1.TableBudget::getCharges).sum();
        int before = charges.get();
        SandboxClient.Sample preview = developer.sample(org.datasandbox.api.v1.SampleRequest.newBuilder()
                .setScenario(GrpcFixture.SCENARIO).setTable("medical_visits").setKind("synthetic").setPreview(true).build());
        assertThat(preview.data()).isEmpty();
        assertThat(preview.info().getRows()).isZero();
        assertThat(preview.info().getScenario()).isEqualTo(GrpcFixture.SCENARIO);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(preview.info().getReportJson());
        assertThat(json.path("preview").asBoolean()).isTrue();
        assertThat(json.path("epsilon").asDouble()).isPositive();
        assertThat(json.has("affordable")).isTrue();
        assertThat(json.at("/estimateBeforeFit/expectedDistributionError/hospital").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.at("/estimateBeforeFit/warnings").isArray()).isTrue();
        assertThat(charges.get()).as("a preview spends nothing").isEqualTo(before);

        assertThatThrownBy(() -> developer.sample(org.datasandbox.api.v1.SampleRequest.newBuilder()
                .setScenario(GrpcFixture.SCENARIO).setTable("medical_visits").setKind("masked").setPreview(true).build()))
                .isInstanceOf(io.grpc.StatusRuntimeException.class).hasMessageContaining("INVALID_ARGUMENT");
    }

    @Test
    void sample_syntheticCsv_comesWithItsReport() throws Exception {
        SandboxClient.Sample sample = developer.sample(org.datasandbox.api.v1.SampleRequest.newBuilder()
                .setScenario(GrpcFixture.SCENARIO).setTable("patients").setKind("synthetic").setFormat("csv").setMaxRows(50).build());
        assertThat(sample.info().getScenario()).isEqualTo(GrpcFixture.SCENARIO);
        assertThat(sample.info().getKind()).isEqualTo("synthetic");
        assertThat(sample.info().getFormat()).isEqualTo("csv");
        assertThat(sample.info().getRows()).isEqualTo(50);
        List<String> lines = new String(sample.data(), StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(51);
        assertThat(lines.get(0)).isEqualTo("id,age,sex,sample_yr,kappa,lambda,flc_grp,creatinine,mgus,futime,death,chapter");
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(sample.info().getReportJson());
        // a DP release: model figures only, no distance to the originals
        assertThat(report.has("fidelity")).isFalse();
        assertThat(report.at("/columns/age/source").asText()).isEqualTo("model");
        assertThat(report.at("/columns/age/expectedError").asDouble()).isBetween(0.0, 0.5);
    }

    @Test
    void submitJob_aggregate_equalsCsvAndSuppressesSmallGroups() {
        SandboxClient.Result result = runOnOriginals(
                "SELECT colour, year, sex, citizen, COUNT(*) AS n FROM arrests GROUP BY colour, year, sex, citizen");
        var expected = arrests.peoplePerGroup("colour", "year", "sex", "citizen");
        Map<List<String>, Long> released = new java.util.HashMap<>();
        for (List<Object> row : result.table().rows()) {
            released.put(List.of((String) row.get(0), row.get(1).toString(), (String) row.get(2), (String) row.get(3)),
                    (Long) row.get(4));
        }
        long small = expected.values().stream().filter(p -> p.size() < 10).count();
        assertThat(small).as("the data must have groups under k for this test to mean anything").isPositive();
        expected.forEach((group, people) -> {
            if (people.size() >= 10) {
                assertThat(released).containsEntry(group, (long) people.size());
            } else {
                assertThat(released).doesNotContainKey(group);
            }
        });
        assertThat(released).hasSize((int) (expected.size() - small));
        assertThat(result.receipt().getRows()).isEqualTo(released.size());
        assertThat(result.receipt().getSha()).hasSize(64);
    }

    @Test
    void submitJob_average_equalsCsv() {
        SandboxClient.Result result = runOnOriginals("SELECT sex, AVG(age) AS avg_age FROM arrests GROUP BY sex ORDER BY sex");
        for (var record : result.table().records()) {
            assertThat((Double) record.get("avg_age"))
                    .isCloseTo(arrests.average("age", "sex", (String) record.get("sex")), org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(result.table().rows()).hasSize(2);
    }

    @Test
    void submitJob_rowLevelQuery_isRejectedWithItsRuleId() {
        assertThatThrownBy(() -> developer.submitJob(GrpcFixture.SCENARIO, "SELECT name, phone FROM residents"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(ErrorDetails.of(e).getReason()).isEqualTo("ROW_LEVEL_OUTPUT");
                    assertThat(ErrorDetails.of(e).getMetadataMap()).containsEntry("line", "1").containsEntry("column", "8");
                    assertThat(e.getStatus().getDescription()).contains("residents.name");
                });
    }

    @Test
    void devRun_join_runsOnSamplesThroughTheGuard() {
        SandboxClient.Result result = developer.devRun(GrpcFixture.SCENARIO,
                "SELECT r.gender, COUNT(*) AS visits FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.gender");
        assertThat(result.receipt().getRewritesList()).containsExactly("MIN_GROUP_SIZE");
        assertThat(result.receipt().getRewrittenSql()).contains("HAVING COUNT(DISTINCT");
        assertThat(result.table().columns()).containsExactly("gender", "visits");
        assertThat(result.table().rows()).isNotEmpty();
    }

    @Test
    void listCatalog_developer_seesRolesButNoValues() {
        var catalog = developer.listCatalog();
        var residents = catalog.getTablesList().stream().filter(t -> t.getName().equals("residents")).findFirst().orElseThrow();
        assertThat(residents.getColumnsList()).extracting(c -> c.getName() + ":" + c.getRole())
                .contains("person_id:privacy_unit", "id_card:direct_identifier", "birth_date:quasi_identifier");
        assertThat(catalog.toString()).doesNotContain(fixture.hubei.residents().get(0)[2]);
    }

    @Test
    void fetchResult_ofAnotherDevelopersJob_isNotFound() {
        assertThatThrownBy(() -> developer.fetchResult("job-000000000000"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void dataDependentError_divisionByZero_isNullNotAFailure() {
        // With ANSI mode a zero divisor in one row would fail the job: a one-bit oracle on the data.
        SandboxClient.Result result = runOnOriginals("SELECT district, COUNT(*) AS n FROM residents"
                + " WHERE income / (income - income) IS NULL GROUP BY district");
        assertThat(result.table().rows()).isNotEmpty().allSatisfy(row -> assertThat(row.get(1)).isNotNull());
    }

    @Test
    void runtimeFailure_onOriginals_returnsFixedCodedMessageWithoutValues() throws Exception {
        // A table whose encrypted files vanish after registration: Spark fails while reading them.
        SandboxClient provider = fixture.client(Role.PROVIDER);
        SandboxClient admin = fixture.client(Role.ADMIN);
        provider.registerDataset("scratch", "", "sid,grp,code\n1,a,7\n2,b,8\n".getBytes(StandardCharsets.UTF_8), Map.of());
        admin.applyPolicy("kind: table-policy\ntable: scratch\ncolumns:\n"
                + "  - {name: sid, role: privacy_unit}\n  - {name: grp, role: dimension, mask: redact}\n"
                + "  - {name: code, role: dimension, mask: pseudonym}\n");
        admin.applyPolicy("kind: scenario\nid: scratch-test\npurpose: a table whose files vanish\n"
                + "developers: [\"Wang Fang\"]\ngrants:\n  scratch: [\"*\"]\n");
        try (Stream<Path> files = Files.walk(fixture.dataDir.resolve("data/originals/scratch"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
                // garbage of the same size in place of each file: a file deleted or resized fails the job before
                // Spark reads it (its recorded files differ); garbage makes Spark itself fail on the originals
                Files.write(file, new byte[Math.toIntExact(Files.size(file))]);
            }
        }
        JobTicket ticket = developer.submitJob("scratch-test", "SELECT grp, code, COUNT(*) AS n FROM scratch GROUP BY grp, code");
        JobEvent last = developer.watchJob(ticket.getJobId(), e -> { });
        assertThat(last.getState()).isEqualTo(JobState.FAILED);
        assertThat(last.getErrorCode()).isEqualTo("EXECUTION_FAILED");
        assertThat(last.getMessage()).matches("The job failed while running inside the sandbox \\(reference [0-9a-f]{8}\\)");
        // the hints point at how the samples differ for the columns the job reads
        assertThat(last.getHintsList()).containsExactly(
                "SAMPLE_TYPE_DIFFERS: scratch.code is INTEGER in the originals but LONG in the sample (mask pseudonym)",
                "SAMPLE_VALUES_MASKED: scratch.grp is masked by redact in the sample; the originals hold the full values, "
                        + "whose formats and ranges may differ");
        assertThatThrownBy(() -> developer.devRun("scratch-test", "SELECT grp, COUNT(*) AS n FROM scratch GROUP BY grp"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).doesNotContain("scratch").doesNotContain("parquet");
                });
        // the job is the caller's own but has nothing released: a precondition, not a missing job
        assertThatThrownBy(() -> developer.fetchResult(ticket.getJobId()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(ErrorDetails.of(e).getReason()).isEqualTo("NOT_READY");
                });
    }

    @Test
    void verifyLedger_afterTheFlow_isValidAndHoldsNoDataValue() throws Exception {
        runOnOriginals("SELECT district, COUNT(*) AS n FROM residents WHERE diagnosis = '高血压' GROUP BY district");
        var verification = fixture.client(Role.AUDITOR).verifyLedger();
        assertThat(verification.getValid()).as(verification.getProblem()).isTrue();
        assertThat(verification.getEntries()).isGreaterThan(20);
        String ledger = Files.readString(fixture.dataDir.resolve("ledger/ledger.jsonl"));
        assertThat(ledger).contains("\"action\":\"guard.decision\"", "\"action\":\"job.released\"", "ROW_LEVEL_OUTPUT");
        assertNoDataValueIn(ledger);
        assertNoDataValueIn(Files.readString(Path.of("target/test-logs/sandbox.log")));
    }

    @Test
    void auditVerify_afterOneByteOfTheLedgerChanges_exitsNonZero() throws Exception {
        Path copy = Files.createTempDirectory("ledger-copy");
        try (Stream<Path> files = Files.list(fixture.dataDir.resolve("ledger"))) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Path dataDir = copy.getParent().resolve(copy.getFileName() + "-data");
        Files.createDirectories(dataDir);
        Files.move(copy, dataDir.resolve("ledger"));
        assertThat(audit(dataDir)).isZero();
        String published = org.datasandbox.core.ledger.LedgerVerifier.verify(dataDir.resolve("ledger")).keyFingerprint();
        assertThat(audit(dataDir, "--expect-key", published)).isZero();
        assertThat(audit(dataDir, "--expect-key", (published.charAt(0) == '0' ? "1" : "0") + published.substring(1))).isEqualTo(1);

        Path entries = dataDir.resolve("ledger/ledger.jsonl");
        byte[] bytes = Files.readAllBytes(entries);
        int target = new String(bytes, StandardCharsets.UTF_8).indexOf("\"rows\":\"") + 8;
        bytes[target] = (byte) (bytes[target] == '9' ? '8' : '9');
        Files.write(entries, bytes);
        assertThat(audit(dataDir)).isEqualTo(1);
    }

    private static int audit(Path dataDir, String... options) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(new org.datasandbox.api.cli.SandboxCli()).execute(java.util.stream.Stream.concat(
                    Stream.of("audit", "verify", "--data-dir", dataDir.toString()), Stream.of(options)).toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
    }

    /** Names, ID numbers, phones and addresses of the originals never appear. */
    private static void assertNoDataValueIn(String text) {
        for (String[] row : fixture.hubei.residents().subList(0, 300)) {
            assertThat(text).doesNotContain(row[1]).doesNotContain(row[3]).doesNotContain(row[7]);
        }
        assertThat(text).doesNotContain("高血压");
    }
}
