package org.datasandbox.api.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.server.SandboxServer;
import org.datasandbox.api.v1.CatalogTable;
import org.datasandbox.api.v1.DatasetInfo;
import org.datasandbox.api.v1.JobEvent;
import org.datasandbox.api.v1.JobState;
import org.datasandbox.api.v1.JobTicket;
import org.datasandbox.api.v1.LedgerVerification;
import org.datasandbox.api.v1.PolicyReceipt;
import org.datasandbox.api.v1.SampleRequest;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.demodata.HubeiDemoData;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;

/**
 * The demo: an embedded server, then each role in turn over mutual TLS. The provider registers four
 * tables, the admin applies their policies, the developer browses, samples, dev-runs and submits a
 * query and sees only its thresholded aggregate, a row-level query is refused, the same application in DP mode
 * answers with noise and intervals from a lifetime budget, the auditor verifies.
 */
public final class DemoRunner {
    public static final String SCENARIO = "public-health";
    /** Patients with hypertension or diabetes per district: the query the developer writes. */
    public static final String QUERY = """
            SELECT r.district,
                   COUNT(DISTINCT r.person_id) AS patients,
                   COUNT(*) AS visits,
                   ROUND(AVG(v.cost), 2) AS avg_visit_cost
            FROM residents r
            JOIN medical_visits v ON r.person_id = v.person_id
            WHERE r.diagnosis IN ('高血压', '2型糖尿病')
            GROUP BY r.district
            ORDER BY patients DESC""";
    public static final String ROW_LEVEL_QUERY = "SELECT name, phone FROM residents WHERE district = '洪山区'";
    /** The DP-mode scenario of the same application, and the query its developer asks. */
    public static final String DP_SCENARIO = "public-health-dp";
    public static final String DP_QUERY = """
            SELECT district, COUNT(*) AS residents, AVG(income) AS avg_income
            FROM residents
            GROUP BY district""";
    private static final String DP_SCENARIO_FILE = "dp/scenario-public-health-dp.yaml";
    /** The review-mode scenario of the same application, and the query whose output a reviewer releases. */
    public static final String REVIEW_SCENARIO = "public-health-review";
    public static final String REVIEW_QUERY = """
            SELECT district, COUNT(*) AS residents, SUM(income) AS total_income
            FROM residents
            GROUP BY district""";
    private static final String REVIEW_SCENARIO_FILE = "review/scenario-public-health-review.yaml";
    private static final int STEPS = 11;

    private static final List<String> POLICY_FILES = List.of(
            "arrests.yaml", "patients.yaml", "residents.yaml", "medical_visits.yaml", "scenario-public-health.yaml");

    private final Path dataDir;
    private final Path examples;
    private final int residents;
    private final String sparkMaster;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private JobState lastState;
    private int lastQuarter = -2;
    /** The review console's address, for pointing at what the demo shows. */
    private String consoleUrl = "";

    public DemoRunner(Path dataDir, Path examples, int residents, String sparkMaster, PrintStream out) {
        this.dataDir = dataDir;
        this.examples = examples;
        this.residents = residents;
        this.sparkMaster = sparkMaster;
        this.out = out;
    }

    public int run() throws Exception {
        out.println("Data Sandbox demo: raw data goes in, developers see masked samples, only aggregates come out.");
        out.println("Data directory: " + dataDir);
        step(1, "Starting the embedded sandbox (Spark " + sparkMaster + ", SM2/SM3/SM4 crypto, gRPC with mutual TLS)");
        SandboxConfig config = SandboxConfig.embedded(dataDir).withSparkMaster(sparkMaster);
        try (Sandbox sandbox = Sandbox.open(config); SandboxServer server = SandboxServer.start(sandbox, 0);
             org.datasandbox.api.console.ConsoleServer console =
                     org.datasandbox.api.console.ConsoleServer.start(sandbox, SandboxServer.LOOPBACK, 0)) {
            PkiLayout pki = sandbox.authority().layout();
            detail("listening on localhost:" + server.port() + "; CA and certificates for "
                    + "provider, admin, developer, reviewer and auditor in " + pki.dir());
            consoleUrl = console.url();
            detail("review console (HTTPS, the same client certificates; admin, reviewer, auditor): " + consoleUrl);
            detail("keys sealed in " + dataDir.resolve("keys") + " by the key file " + config.keys().keyFile()
                    + "; the CA key in " + config.keys().caKeystore() + " (both outside the data directory)");
            try (SandboxClient provider = SandboxClient.forRole(pki, Role.PROVIDER, server.port());
                 SandboxClient admin = SandboxClient.forRole(pki, Role.ADMIN, server.port());
                 SandboxClient developer = SandboxClient.forRole(pki, Role.DEVELOPER, server.port());
                 SandboxClient auditor = SandboxClient.forRole(pki, Role.AUDITOR, server.port());
                 SandboxClient reviewer = SandboxClient.forRole(pki, Role.REVIEWER, server.port())) {
                register(provider);
                applyPolicies(admin);
                browse(developer);
                developerFlow(developer);
                refuseRowLevel(developer);
                dpFlow(developer);
                reviewFlow(developer, reviewer);
                return audit(auditor);
            }
        }
    }

    private void register(SandboxClient provider) throws IOException {
        step(2, "Provider " + holder(Role.PROVIDER) + " registers four original tables (stored encrypted, one key per table)");
        HubeiDemoData.Tables hubei = HubeiDemoData.generate(residents, 2026);
        report(provider.registerDataset("arrests", "Toronto arrests for marijuana possession, 1997-2002",
                Files.readAllBytes(examples.resolve("data/arrests.csv")), Map.of()), 5_226);
        report(provider.registerDataset("patients", "Serum free light chain cohort, Olmsted County",
                Files.readAllBytes(examples.resolve("data/patients.csv")), Map.of()), 7_874);
        report(provider.registerDataset("residents", "Residents of Hubei districts (synthetic)",
                hubei.residentsCsv(), types(HubeiDemoData.RESIDENT_TYPES)), hubei.residents().size());
        report(provider.registerDataset("medical_visits", "Hospital visits of the residents (synthetic)",
                hubei.visitsCsv(), types(HubeiDemoData.VISIT_TYPES)), hubei.visits().size());
    }

    private void applyPolicies(SandboxClient admin) throws IOException {
        step(3, "Admin " + holder(Role.ADMIN) + " applies the reference policies and approves a scenario");
        for (String file : POLICY_FILES) {
            PolicyReceipt receipt = admin.applyPolicy(Files.readString(examples.resolve("policies").resolve(file)));
            detail(String.format("%-28s %-13s %-15s v%d  sha %s", file, receipt.getKind(), receipt.getName(),
                    receipt.getVersion(), receipt.getSha().substring(0, 16)));
        }
        PolicyReceipt dp = admin.applyPolicy(Files.readString(examples.resolve(DP_SCENARIO_FILE)));
        detail(String.format("%-28s %-13s %-15s v%d  sha %s  (DP mode)", DP_SCENARIO_FILE, dp.getKind(), dp.getName(),
                dp.getVersion(), dp.getSha().substring(0, 16)));
        PolicyReceipt review = admin.applyPolicy(Files.readString(examples.resolve(REVIEW_SCENARIO_FILE)));
        detail(String.format("%-28s %-13s %-15s v%d  sha %s  (review mode)", REVIEW_SCENARIO_FILE, review.getKind(),
                review.getName(), review.getVersion(), review.getSha().substring(0, 16)));
    }

    /**
     * DP mode: the budget, a dry run, the query with its noisy answer and intervals, the budget left. Until the
     * guard's DP rewrite is in place the guard refuses the query, and the step says so and goes on.
     */
    private void dpFlow(SandboxClient developer) {
        step(9, "Developer asks the DP-mode scenario " + DP_SCENARIO + ": noisy answers, a lifetime budget");
        out.print(indent(BudgetOutput.budget(developer.budget(DP_SCENARIO)), "      "));
        out.println();
        out.println(indent(DP_QUERY, "      | "));
        try {
            detail(BudgetOutput.cost(developer.estimateCost(DP_SCENARIO, DP_QUERY)).strip());
            JobTicket ticket = developer.submitJob(DP_SCENARIO, DP_QUERY);
            JobEvent last = developer.watchJob(ticket.getJobId(), event -> { });
            if (last == null || last.getState() != JobState.RELEASED) {
                detail("the DP job did not release: " + (last == null ? "no events" : last.getMessage()));
            } else {
                SandboxClient.Result released = developer.fetchResult(ticket.getJobId());
                detail("released " + released.receipt().getRows() + " noisy rows (95% intervals in *_ci_low/_ci_high);"
                        + " receipt: ledger entry #" + released.receipt().getLedgerSequence());
                out.print(TextTable.render(released.table(), 25, "      "));
            }
        } catch (StatusRuntimeException e) {
            detail("refused with " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
        }
        detail("the budget left:");
        out.print(indent(BudgetOutput.budget(developer.budget(DP_SCENARIO)), "      "));
        out.println();
    }

    private void browse(SandboxClient developer) {
        step(4, "Developer " + holder(Role.DEVELOPER) + " browses the catalog: schemas and roles, never values");
        for (CatalogTable table : developer.listCatalog().getTablesList()) {
            detail(table.getName() + " (policy v" + table.getPolicyVersion() + "): " + table.getColumnsList().stream()
                    .map(c -> c.getName() + " " + c.getType() + " [" + c.getRole().replace('_', ' ') + "]")
                    .collect(Collectors.joining(", ")));
        }
        step(5, "Developer downloads a masked sample of residents and a synthetic one of patients, with their reports");
        SandboxClient.Sample masked = developer.sample(SampleRequest.newBuilder().setScenario(SCENARIO)
                .setTable("residents").setMaxRows(5).build());
        out.print(TextTable.render(masked.table(), 5, "      "));
        detail("masked sample report: " + summary(masked.info().getReportJson()));
        SandboxClient.Sample synthetic = developer.sample(SampleRequest.newBuilder().setScenario(SCENARIO)
                .setTable("patients").setKind("synthetic").setMaxRows(5).build());
        out.print(TextTable.render(synthetic.table(), 5, "      "));
        detail("synthetic sample report: " + summary(synthetic.info().getReportJson()));
    }

    /** The headline figures of a sample report. */
    private static String summary(String reportJson) {
        try {
            JsonNode report = new ObjectMapper().readTree(reportJson);
            if ("synthetic".equals(report.path("kind").asText())) {
                // a DP release: its report holds model figures only, never a distance to the originals
                List<Double> expected = new java.util.ArrayList<>();
                report.path("columns").forEach(c -> {
                    if (c.hasNonNull("expectedError")) {
                        expected.add(c.get("expectedError").asDouble());
                    }
                });
                return String.format("%,d rows; epsilon %s, delta %s; expected distribution error from noise mean %.3f; "
                                + "%d warnings", report.get("rows").asLong(), report.path("epsilon").asText(),
                        report.path("delta").asText(), expected.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                        report.path("warnings").size());
            }
            // a release of real rows: figures of the sample and the policy, and risk counts; nothing compared with the originals
            return String.format("%,d rows; information loss mean %.3f over %d columns; rows served verbatim %d; "
                            + "rows suppressed %d", report.get("rows").asLong(), report.at("/utility/meanInformationLoss").asDouble(),
                    report.at("/utility/columns").size(), report.at("/privacy/exactMatches").asLong(),
                    report.at("/privacy/suppressedRows").asLong()) + risk(report.at("/privacy/anonymity"));
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** A masked sample's measured re-identification risk, as the report gives it. */
    private static String risk(JsonNode anonymity) {
        if (anonymity.isMissingNode() || anonymity.isNull()) {
            return "";
        }
        return String.format("; k %d, l %d; re-identification risk: prosecutor max %.3f, journalist max %.3f, "
                        + "marketer %.3f; unique in the population %.3f",
                anonymity.at("/k").asInt(), anonymity.at("/l").asInt(), anonymity.at("/prosecutorMaxRisk").asDouble(),
                anonymity.at("/journalistMaxRisk").asDouble(), anonymity.at("/marketerRisk").asDouble(),
                anonymity.at("/populationUniqueShare").asDouble());
    }

    private void developerFlow(SandboxClient developer) {
        step(6, "Developer dev-runs a query on the masked samples; the guard checks and rewrites it first");
        out.println(indent(QUERY, "      | "));
        SandboxClient.Result sample = developer.devRun(SCENARIO, QUERY);
        detail("the guard's rewrite (what Spark runs): rules " + sample.receipt().getRewritesList());
        out.println(indent(sample.receipt().getRewrittenSql(), "      > "));
        detail("result on the sample (" + sample.table().rows().size() + " groups with at least 10 sampled people):");
        out.print(TextTable.render(sample.table(), 8, "      "));

        step(7, "Developer submits the same query to run on the originals inside the sandbox");
        JobTicket ticket = developer.submitJob(SCENARIO, QUERY);
        detail("job " + ticket.getJobId() + " accepted");
        JobEvent last = developer.watchJob(ticket.getJobId(), this::progress);
        if (System.console() != null) {
            out.println();
        }
        if (last == null || last.getState() != JobState.RELEASED) {
            throw new IllegalStateException("the job did not release: " + (last == null ? "no events" : last.getMessage()));
        }
        SandboxClient.Result released = developer.fetchResult(ticket.getJobId());
        detail("released " + released.receipt().getRows() + " aggregated rows; receipt: ledger entry #"
                + released.receipt().getLedgerSequence() + ", sha " + released.receipt().getSha().substring(0, 16)
                + "; districts with fewer than 10 such patients were suppressed");
        out.print(TextTable.render(released.table(), 25, "      "));
    }

    private void refuseRowLevel(SandboxClient developer) {
        step(8, "Developer tries a row-level query: " + ROW_LEVEL_QUERY);
        try {
            developer.submitJob(SCENARIO, ROW_LEVEL_QUERY);
            throw new IllegalStateException("a row-level query was accepted");
        } catch (StatusRuntimeException e) {
            detail("refused with " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
        }
    }

    /** Review mode: the output is held, the reviewer reads its disclosure report and approves it, it is released. */
    private void reviewFlow(SandboxClient developer, SandboxClient reviewer) throws IOException {
        step(10, "Developer submits to the review-mode scenario " + REVIEW_SCENARIO + "; reviewer " + holder(Role.REVIEWER)
                + " approves the output");
        out.println(indent(REVIEW_QUERY, "      | "));
        JobTicket ticket = developer.submitJob(REVIEW_SCENARIO, REVIEW_QUERY);
        JobEvent last = developer.watchJob(ticket.getJobId(), e -> { });
        if (last == null || last.getState() != JobState.HELD) {
            throw new IllegalStateException("the review-mode job was not held: " + (last == null ? "no events" : last.getMessage()));
        }
        detail("job " + ticket.getJobId() + ": " + last.getMessage());
        try {
            developer.fetchResult(ticket.getJobId());
            throw new IllegalStateException("a held output was fetched");
        } catch (StatusRuntimeException e) {
            detail("fetching it now is refused: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
        }
        org.datasandbox.api.v1.ReleaseRequestSummary request = reviewer.listReleaseRequests("PENDING").getRequestsList()
                .stream().filter(r -> r.getJobId().equals(ticket.getJobId())).findFirst().orElseThrow();
        org.datasandbox.api.v1.ReleaseRequestDetail detail = reviewer.getReleaseRequest(request.getId());
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(detail.getReportJson());
        long dominated = 0;
        long smallest = Long.MAX_VALUE;
        for (com.fasterxml.jackson.databind.JsonNode cell : report.get("cells")) {
            smallest = Math.min(smallest, cell.get("units").asLong());
            for (com.fasterxml.jackson.databind.JsonNode d : cell.get("dominance")) {
                dominated += d.get("pRule").asBoolean() || d.get("nkRule").asBoolean() ? 1 : 0;
            }
        }
        detail("release request " + request.getId() + ", disclosure report: " + report.get("cells").size()
                + " cells, the smallest of " + smallest + " people, " + dominated + " dominated sums, "
                + report.get("suppressedCells").asInt() + " cells suppressed below k, residual identifiers "
                + report.get("residualIdentifiers"));
        detail("the same request in the review console: " + consoleUrl + "reviews/" + request.getId());
        org.datasandbox.api.v1.ReleaseRequestSummary decided = reviewer.decideRelease(request.getId(), "APPROVE",
                "district totals over at least " + smallest + " people each; dominance flags checked");
        detail("reviewer " + holder(Role.REVIEWER) + " approved release request " + decided.getId() + ": "
                + decided.getStatus());
        SandboxClient.Result released = developer.fetchResult(ticket.getJobId());
        detail("released after review: " + released.receipt().getRows() + " rows; receipt: ledger entry #"
                + released.receipt().getLedgerSequence() + " (release request " + request.getId() + ")");
        out.print(TextTable.render(released.table(), 25, "      "));
    }


    private int audit(SandboxClient auditor) {
        step(11, "Auditor " + holder(Role.AUDITOR) + " verifies the evidence ledger (hash chain, SM2 signatures, signed head)");
        LedgerVerification verification = auditor.verifyLedger();
        detail((verification.getValid() ? "valid: " : "INVALID: " + verification.getProblem() + "; ")
                + verification.getEntries() + " entries, head " + verification.getHeadHash().substring(0, 16)
                + ", key fingerprint " + verification.getKeyFingerprint().substring(0, 16));
        out.printf("%nDone in %.1f s. Verify the ledger yourself: ./sandbox audit verify --data-dir %s%n",
                (System.nanoTime() - started) / 1e9, dataDir);
        return verification.getValid() ? 0 : 1;
    }

    /**
     * On a terminal, one line redrawn in place; otherwise a line per state and per quarter of the tasks,
     * so that logs stay short.
     */
    private void progress(JobEvent event) {
        String bar = event.getTasksTotal() == 0 ? event.getMessage()
                : "[" + "#".repeat((int) Math.round(20.0 * event.getTasksDone() / event.getTasksTotal()))
                        + "-".repeat(20 - (int) Math.round(20.0 * event.getTasksDone() / event.getTasksTotal()))
                        + "] " + event.getTasksDone() + "/" + event.getTasksTotal() + " Spark tasks";
        String line = String.format("%-9s %s", event.getState(), bar);
        if (System.console() != null) {
            out.print("\r      " + String.format("%-60s", line));
            out.flush();
            return;
        }
        int quarter = event.getTasksTotal() == 0 ? -1 : 4 * event.getTasksDone() / event.getTasksTotal();
        if (event.getState() != lastState || quarter != lastQuarter) {
            out.println("      " + line);
        }
        lastState = event.getState();
        lastQuarter = quarter;
    }

    private void report(DatasetInfo info, long rows) {
        detail(String.format("%-15s %,7d rows  %2d columns  sha %s", info.getName(), rows, info.getColumnsCount(),
                info.getContentHash().substring(0, 16)));
    }

    private void step(int number, String title) {
        out.printf("%n[%d/%d] %s  (%.1f s)%n", number, STEPS, title, (System.nanoTime() - started) / 1e9);
    }

    private void detail(String line) {
        out.println("      " + line);
    }

    private static String indent(String text, String prefix) {
        return text.lines().map(l -> prefix + l).collect(Collectors.joining("\n"));
    }

    private static String holder(Role role) {
        return CertificateAuthority.DEMO_HOLDERS.get(role);
    }

    private static Map<String, String> types(Map<String, org.datasandbox.guard.catalog.ColumnType> types) {
        return types.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().name().toLowerCase(java.util.Locale.ROOT)));
    }
}
