package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import org.datasandbox.api.cli.SandboxCli;
import org.datasandbox.core.ledger.LedgerVerifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code sandbox quality}, {@code sandbox report} and {@code sandbox audit export|verify-extract} against the test
 * server, as a developer, provider and auditor would type them.
 */
class QualityCommandsTest {
    private static GrpcFixture fixture;

    @BeforeAll
    static void start() {
        fixture = GrpcFixture.get();
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new SandboxCli()).execute(args);
            return new Run(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String[] connected(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--port";
        all[args.length + 1] = Integer.toString(fixture.server.port());
        all[args.length + 2] = "--data-dir";
        all[args.length + 3] = fixture.dataDir.toString();
        return all;
    }

    @Test
    void qualityFileAnswerList_throughTheCommandLine() {
        Run filed = run(connected("quality", "file", "--table", "residents", "--category", "wrong units",
                "--description", "Incomes look monthly in one district and yearly in the others"));
        assertThat(filed.code()).as(filed.err()).isZero();
        assertThat(filed.out()).contains("open").contains("table residents").contains("Asia/Shanghai");
        String id = filed.out().substring(0, filed.out().indexOf(' '));

        Run refused = run(connected("quality", "file", "--table", "residents", "--category", "wrong values",
                "--description", "call 138-0013-8000"));
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("INVALID_ARGUMENT").doesNotContain("0013");

        Run answered = run(connected("quality", "answer", id, "--answer", "One district reports monthly; fixed"));
        assertThat(answered.code()).as(answered.err()).isZero();
        assertThat(answered.out()).contains(id).contains("answered");

        Run list = run(connected("quality", "list", "--as", "provider"));
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains(id);
        Run overdue = run(connected("quality", "list", "--overdue", "--as", "auditor"));
        assertThat(overdue.code()).as(overdue.err()).isZero();
        assertThat(overdue.out()).doesNotContain(id);
        // a reviewer is not one of those who list issues
        assertThat(run(connected("quality", "list", "--as", "reviewer")).err()).contains("PERMISSION_DENIED");
    }

    @Test
    void reportAnnualAndVerify_throughTheCommandLine() throws Exception {
        Path report = Files.createTempFile("annual", ".json");
        int year = LocalDate.now(ZoneId.of("Asia/Shanghai")).getYear();
        Run made = run(connected("report", "annual", "--year", Integer.toString(year), "--out", report.toString()));
        assertThat(made.code()).as(made.err()).isZero();
        assertThat(Files.readString(report)).contains("\"checkpointHash\"").contains("\"year\" : " + year);

        Run verified = run("report", "verify", report.toString(), "--data-dir", fixture.dataDir.toString());
        assertThat(verified.code()).as(verified.out()).isZero();
        assertThat(verified.out()).startsWith("Report valid");

        String json = Files.readString(report);
        String changed = json.replaceFirst("\"firstSequence\" : (\\d+)", "\"firstSequence\" : 9$1");
        assertThat(changed).isNotEqualTo(json);
        Files.writeString(report, changed);
        Run tampered = run("report", "verify", report.toString(), "--data-dir", fixture.dataDir.toString());
        assertThat(tampered.code()).isEqualTo(1);
        assertThat(tampered.out()).startsWith("Report INVALID");
    }

    @Test
    void auditExportAndVerifyExtract_throughTheCommandLine() throws Exception {
        Path extract = Files.createTempFile("extract", ".json");
        String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
        Run made = run(connected("audit", "export", "--from", "2000-01-01", "--to", today, "--scenario",
                GrpcFixture.SCENARIO, "--out", extract.toString()));
        assertThat(made.code()).as(made.err()).isZero();
        String fingerprint = LedgerVerifier.verify(fixture.dataDir.resolve("ledger")).keyFingerprint();

        Run verified = run("audit", "verify-extract", extract.toString(), "--expect-key", fingerprint);
        assertThat(verified.code()).as(verified.out()).isZero();
        assertThat(verified.out()).startsWith("Extract valid").contains("(as expected)");

        String otherFingerprint = (fingerprint.charAt(0) == '0' ? "1" : "0") + fingerprint.substring(1);
        Run otherKey = run("audit", "verify-extract", extract.toString(), "--expect-key", otherFingerprint);
        assertThat(otherKey.code()).isEqualTo(1);

        String json = Files.readString(extract);
        int first = json.indexOf("\"chain\" : [ \"") + 13;
        String changed = json.substring(0, first) + (json.charAt(first) == '0' ? '1' : '0') + json.substring(first + 1);
        Files.writeString(extract, changed);
        Run tampered = run("audit", "verify-extract", extract.toString(), "--expect-key", fingerprint);
        assertThat(tampered.code()).isEqualTo(1);
        assertThat(tampered.out()).startsWith("Extract INVALID");
    }
}
