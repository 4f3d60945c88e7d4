package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.datasandbox.api.cli.SandboxCli;
import org.datasandbox.core.catalog.ParquetImport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's client commands against the test server, as an admin or developer would type them. */
class ClientCommandsTest {
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
    void policyPropose_printsADraftWithEvidence() {
        Run run = run(connected("policy", "propose", "--table", "medical_visits"));
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("kind: table-policy").contains("- name: person_id\n    type: bigint\n    role: privacy_unit")
                .contains("# ").contains("note: ");
        assertThat(run(connected("policy", "propose", "--table", "nothing")).code()).isEqualTo(1);
    }

    @Test
    void policyApply_appliesInOrderAndStopsAtARefusal() throws Exception {
        Path good = Files.createTempFile("scenario", ".yaml");
        Files.writeString(good, "kind: scenario\nid: cli-study\npurpose: applied from the command line\n"
                + "developers: [\"Wang Fang\"]\ngrants:\n  patients: [\"*\"]\n");
        Path bad = Files.createTempFile("broken", ".yaml");
        Files.writeString(bad, "kind: table-policy\ntable: patients\ncolumns: []\n");
        Run run = run(connected("policy", "apply", good.toString(), bad.toString()));
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains("scenario cli-study v1");
        assertThat(run.err()).contains("INVALID_ARGUMENT").contains("columns must list every column");
    }

    @Test
    void sample_writesTheFileAndItsReport() throws Exception {
        Path out = Files.createTempDirectory("cli-sample").resolve("visits.csv");
        Run run = run(connected("sample", "--table", "medical_visits", "--scenario", GrpcFixture.SCENARIO,
                "--kind", "synthetic", "--rows", "30", "--out", out.toString()));
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(Files.readAllLines(out)).hasSize(31).first().asString().startsWith("visit_id,person_id");
        assertThat(Files.readString(out.resolveSibling("visits.csv.report.json"))).contains("\"kind\":\"synthetic\"");
        assertThat(run(connected("sample", "--table", "medical_visits", "--kind", "raw", "--out", out.toString())).err())
                .contains("masked or synthetic");
    }

    @Test
    void sample_preview_writesTheEstimateAndNoSample() throws Exception {
        Path out = Files.createTempDirectory("cli-preview").resolve("visits.csv");
        Run run = run(connected("sample", "--table", "medical_visits", "--scenario", GrpcFixture.SCENARIO,
                "--kind", "synthetic", "--preview", "--out", out.toString()));
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("preview of a synthetic sample of medical_visits").contains("nothing spent");
        assertThat(out).doesNotExist();
        assertThat(Files.readString(out.resolveSibling("visits.csv.report.json"))).contains("\"estimateBeforeFit\"")
                .contains("\"preview\":true");
    }

    @Test
    void previewSample_offline_writesASyntheticSampleOfTheCsvAndItsReport() throws Exception {
        Path examples = Path.of("").toAbsolutePath().getParent().resolve("examples");
        Path out = Files.createTempDirectory("preview").resolve("patients.csv");
        Run run = run("preview-sample", "--policy", examples.resolve("policies").toString(), "--data",
                examples.resolve("data").toString(), "--table", "patients", "--kind", "synthetic", "--rows", "200",
                "--out", out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("200 rows of a synthetic sample of patients");
        assertThat(Files.readAllLines(out)).hasSize(201);
        String report = Files.readString(out.resolveSibling("patients.csv.report.json"));
        // a DP release: model figures only, nothing measured against the originals
        assertThat(report).contains("\"kind\":\"synthetic\"").contains("\"epsilon\":\"0.9").doesNotContain("closestRecord");
    }

    /**
     * The README's command-line tour, with its files from {@code examples/tour}: a provider registers the
     * CSV, the admin drafts and applies its policy and the scenario, the developer reads the catalog, takes
     * a masked sample, tries the query on the samples, submits it, follows it and fetches the result in
     * each format. The oracle: the released counts equal the ones computed here from the CSV.
     */
    @Test
    void tour_registerDraftApplySampleDevRunSubmitWatchFetch_releasesTheCountsOfTheCsv() throws Exception {
        Path tour = fixture.examples.resolve("tour");
        Path dir = Files.createTempDirectory("tour");
        java.util.Map<String, Integer> perWard = new java.util.TreeMap<>();
        Files.readAllLines(tour.resolve("visits.csv")).stream().skip(1)
                .forEach(line -> perWard.merge(line.split(",")[1], 1, Integer::sum));

        Run registered = run(connected("dataset", "register", "--name", "visits", "--description", "clinic visits",
                tour.resolve("visits.csv").toString()));
        assertThat(registered.code()).as(registered.err()).isZero();
        assertThat(registered.out()).contains("registered visits, 3 columns");

        Run draft = run(connected("policy", "propose", "--table", "visits"));
        assertThat(draft.code()).as(draft.err()).isZero();
        Path policy = dir.resolve("visits.yaml");
        Files.writeString(policy, draft.out());
        Run applied = run(connected("policy", "apply", policy.toString(), tour.resolve("scenario-visits.yaml").toString()));
        assertThat(applied.code()).as(applied.err()).isZero();

        Run catalog = run(connected("catalog"));
        assertThat(catalog.out()).contains("visits").contains("patient_id").contains("privacy_unit");
        Path sample = dir.resolve("visits-sample.csv");
        Run sampled = run(connected("sample", "--table", "visits", "--kind", "masked", "--format", "csv",
                "--out", sample.toString()));
        assertThat(sampled.code()).as(sampled.err()).isZero();
        assertThat(Files.readAllLines(sample).get(0)).contains("ward");

        Run tried = run(connected("dev-run", "--scenario", "visits-study", "--sql",
                "SELECT ward, COUNT(*) AS visits FROM visits GROUP BY ward"));
        assertThat(tried.code()).as(tried.err()).isZero();
        assertThat(tried.out()).contains("ward").contains("visits");

        Run submitted = run(connected("job", "submit", "--scenario", "visits-study", "--sql-file",
                tour.resolve("query.sql").toString(), "--watch"));
        assertThat(submitted.code()).as(submitted.err()).isZero();
        String jobId = submitted.out().lines().findFirst().orElseThrow();
        assertThat(submitted.err()).contains("[" + "#".repeat(30) + "]");
        Run watched = run(connected("job", "watch", jobId));
        assertThat(watched.code()).as(watched.err()).isZero();

        Path result = dir.resolve("result.csv");
        Run fetched = run(connected("job", "fetch", jobId, "--out", result.toString()));
        assertThat(fetched.code()).as(fetched.err()).isZero();
        java.util.Map<String, Integer> released = new java.util.TreeMap<>();
        Files.readAllLines(result).stream().skip(1).map(l -> l.split(","))
                .forEach(cells -> released.put(cells[0], Integer.parseInt(cells[1])));
        assertThat(released).isEqualTo(perWard);
        Path arrow = dir.resolve("result.arrow");
        assertThat(run(connected("job", "fetch", jobId, "--out", arrow.toString())).code()).isZero();
        assertThat(org.datasandbox.core.release.ArrowResults.decode(Files.readAllBytes(arrow)).rows()).hasSize(perWard.size());
        Path parquet = dir.resolve("result.parquet"); // Spark as the reader: ParquetResultsTest
        assertThat(run(connected("job", "fetch", jobId, "--out", parquet.toString())).code()).isZero();
        java.util.Map<String, Integer> fromParquet = new java.util.TreeMap<>();
        ParquetImport.parse(Files.readAllBytes(parquet), java.util.Map.of(), 1_000_000).rows()
                .forEach(row -> fromParquet.put((String) row[0], ((Long) row[1]).intValue()));
        assertThat(fromParquet).isEqualTo(perWard);
        Path forced = dir.resolve("result.out");
        assertThat(run(connected("job", "fetch", jobId, "--format", "parquet", "--out", forced.toString())).code()).isZero();
        assertThat(Files.readAllBytes(forced)).isEqualTo(Files.readAllBytes(parquet));

        assertThat(run(connected("job", "watch", "job-nothing")).code()).isEqualTo(1);
        Run late = run(connected("job", "cancel", jobId));
        assertThat(late.code()).isEqualTo(1);
        assertThat(late.err()).startsWith("FAILED_PRECONDITION: job " + jobId + " can no longer be cancelled (state released)");
        Run unknown = run(connected("job", "cancel", "--admin", "job-nothing"));
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("NOT_FOUND");
        registerParquet_resultFile_takesItsSchemaAndADamagedFileLeavesNothing(parquet);
    }

    /**
     * A provider registers a Parquet file (here the tour's released result) as they would a CSV: its schema
     * gives the types; a damaged file is refused with a clear error and leaves nothing behind, so the same
     * name registers afterwards. (The import against an independent writer: ParquetImportSparkTest.)
     */
    private static void registerParquet_resultFile_takesItsSchemaAndADamagedFileLeavesNothing(Path parquet) throws Exception {
        byte[] bytes = Files.readAllBytes(parquet);
        Path damaged = parquet.resolveSibling("damaged.parquet");
        Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length - 20));

        Run refused = run(connected("dataset", "register", "--name", "ward_visits", damaged.toString()));
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("Invalid Parquet: the file is not a readable Parquet file");

        Run registered = run(connected("dataset", "register", "--name", "ward_visits", parquet.toString()));
        assertThat(registered.code()).as(registered.err()).isZero();
        assertThat(registered.out()).contains("registered ward_visits, 3 columns")
                .containsPattern("ward +string").containsPattern("visits +bigint").containsPattern("avg_fee +double");

        Run typed = run(connected("dataset", "register", "--name", "ward_typed", "--type", "ward=string", parquet.toString()));
        assertThat(typed.err()).contains("a Parquet file carries its own column types");
        Run asCsv = run(connected("dataset", "register", "--name", "ward_as_csv", "--format", "csv", parquet.toString()));
        assertThat(asCsv.err()).contains("Invalid CSV");
    }
}
