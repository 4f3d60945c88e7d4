package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.api.cli.SandboxCli;
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
     * The README's command-line tour, on its own table: a provider registers a CSV, the admin drafts and
     * applies its policy and a scenario, the developer reads the catalog, tries the query on the samples,
     * submits it, follows it and fetches the result. The oracle: the released counts equal the ones
     * computed here from the CSV.
     */
    @Test
    void tour_registerDraftApplyDevRunSubmitWatchFetch_releasesTheCountsOfTheCsv() throws Exception {
        Path dir = Files.createTempDirectory("tour");
        StringBuilder csv = new StringBuilder("patient_id,ward,fee\n");
        java.util.Map<String, Integer> perWard = new java.util.TreeMap<>();
        for (int i = 0; i < 90; i++) {
            String ward = "W" + (i % 3);
            perWard.merge(ward, 1, Integer::sum);
            csv.append(1000 + i).append(',').append(ward).append(',').append(10 + (i * 37) % 500).append(".5\n");
        }
        Path data = dir.resolve("tour_visits.csv");
        Files.writeString(data, csv.toString());

        Run registered = run(connected("dataset", "register", "--name", "tour_visits", data.toString()));
        assertThat(registered.code()).as(registered.err()).isZero();
        assertThat(registered.out()).contains("registered tour_visits, 3 columns");

        Run draft = run(connected("policy", "propose", "--table", "tour_visits"));
        assertThat(draft.code()).as(draft.err()).isZero();
        Path policy = dir.resolve("tour_visits.yaml");
        Files.writeString(policy, draft.out());
        Path scenario = dir.resolve("scenario-tour.yaml");
        Files.writeString(scenario, "kind: scenario\nid: tour\npurpose: the README tour\n"
                + "developers: [\"Wang Fang\"]\ngrants:\n  tour_visits: [\"*\"]\n");
        Run applied = run(connected("policy", "apply", policy.toString(), scenario.toString()));
        assertThat(applied.code()).as(applied.err()).isZero();

        Run catalog = run(connected("catalog"));
        assertThat(catalog.out()).contains("tour_visits").contains("patient_id").contains("privacy_unit");

        String sql = "SELECT ward, COUNT(*) AS visits FROM tour_visits GROUP BY ward";
        Run tried = run(connected("dev-run", "--scenario", "tour", "--sql", sql));
        assertThat(tried.code()).as(tried.err()).isZero();
        assertThat(tried.out()).contains("ward").contains("visits");

        Run submitted = run(connected("job", "submit", "--scenario", "tour", "--sql", sql, "--watch"));
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
        assertThat(run(connected("job", "fetch", jobId, "--format", "arrow", "--out", arrow.toString())).code()).isZero();
        assertThat(org.datasandbox.core.release.ArrowResults.decode(Files.readAllBytes(arrow)).rows()).hasSize(3);
        Path parquet = dir.resolve("result.parquet"); // the format from the extension; Spark reads it back
        assertThat(run(connected("job", "fetch", jobId, "--out", parquet.toString())).code()).isZero();
        java.util.Map<String, Integer> fromParquet = new java.util.TreeMap<>();
        SparkSession.active().read().parquet(parquet.toUri().toString()).collectAsList()
                .forEach(row -> fromParquet.put(row.getString(0), (int) row.getLong(1)));
        assertThat(fromParquet).isEqualTo(perWard);

        assertThat(run(connected("job", "watch", "job-nothing")).code()).isEqualTo(1);
    }

    /**
     * A provider registers a Parquet file Spark wrote (its own types, INT96 timestamps); a damaged file is
     * refused with a clear error and leaves nothing behind: the same name registers afterwards.
     */
    @Test
    void datasetRegister_parquet_takesItsSchemaAndADamagedFileLeavesNothing() throws Exception {
        Path dir = Files.createTempDirectory("parquet-upload");
        StructType schema = new StructType().add("Patient_ID", DataTypes.LongType).add("ward", DataTypes.StringType)
                .add("admitted", DataTypes.DateType).add("seen", DataTypes.TimestampType).add("fee", DataTypes.DoubleType);
        java.util.List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(RowFactory.create(5000L + i, "W" + i % 4, java.sql.Date.valueOf("2024-01-0" + (1 + i % 9)),
                    java.sql.Timestamp.valueOf("2024-02-03 04:05:06"), i * 1.5));
        }
        Path written = dir.resolve("spark");
        SparkSession.active().createDataFrame(rows, schema).coalesce(1).write().parquet(written.toUri().toString());
        Path file;
        try (java.util.stream.Stream<Path> files = Files.list(written)) {
            file = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Path upload = dir.resolve("admissions.parquet");
        Files.copy(file, upload);
        byte[] bytes = Files.readAllBytes(upload);
        Path damaged = dir.resolve("damaged.parquet");
        Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length - 20));

        Run refused = run(connected("dataset", "register", "--name", "pq_admissions", damaged.toString()));
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("Invalid Parquet: the file is not a readable Parquet file");

        Run registered = run(connected("dataset", "register", "--name", "pq_admissions", upload.toString()));
        assertThat(registered.code()).as(registered.err()).isZero();
        assertThat(registered.out()).contains("registered pq_admissions, 5 columns")
                .containsPattern("patient_id +bigint").containsPattern("ward +string").containsPattern("admitted +date")
                .containsPattern("seen +timestamp").containsPattern("fee +double");

        Run typed = run(connected("dataset", "register", "--name", "pq_typed", "--type", "ward=string", upload.toString()));
        assertThat(typed.err()).contains("a Parquet file carries its own column types");
        Run asCsv = run(connected("dataset", "register", "--name", "pq_as_csv", "--format", "csv", upload.toString()));
        assertThat(asCsv.err()).contains("Invalid CSV");
    }
}
