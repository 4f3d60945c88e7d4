package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.v1.ApplicationNarrowing;
import org.datasandbox.api.v1.ApplicationTable;
import org.datasandbox.api.v1.JobEvent;
import org.datasandbox.api.v1.JobState;
import org.datasandbox.api.v1.JobTicket;
import org.datasandbox.api.v1.SampleRequest;
import org.datasandbox.api.v1.ScenarioApplicationInfo;
import org.datasandbox.api.v1.ScenarioApplicationRequest;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.LedgerEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenario applications over the real TLS server: a developer applies, an admin approves, narrows or rejects; the
 * scenario an application becomes grants exactly what was granted (checked against the table's own CSV as the
 * oracle), and nothing once its term has ended. The table {@code visitors} is this class's alone.
 */
class ScenarioApplicationTest {
    private static final String TABLE_POLICY = """
            kind: table-policy
            table: visitors
            output: {mode: threshold, k: 5}
            columns:
              - {name: person_id, type: bigint, role: privacy_unit, mask: pseudonym}
              - {name: district, type: string, role: dimension}
              - {name: age, type: integer, role: measure, bounds: [0, 120]}
              - {name: cost, type: double, role: measure, bounds: [0, 10000]}
            """;
    private static final String PURPOSE = "Visits per district for planning of the Wuchang clinics";
    private static GrpcFixture fixture;
    private static SandboxClient developer;
    private static SandboxClient admin;
    /** The oracle: people per district in the CSV the provider registered. */
    private static final Map<String, Integer> PEOPLE = new TreeMap<>();

    @BeforeAll
    static void start() {
        fixture = GrpcFixture.get();
        developer = fixture.client(Role.DEVELOPER);
        admin = fixture.client(Role.ADMIN);
        StringBuilder csv = new StringBuilder("person_id,district,age,cost\n");
        for (int id = 1; id <= 40; id++) {
            String district = id <= 25 ? "east" : id <= 37 ? "west" : "north";
            PEOPLE.merge(district, 1, Integer::sum);
            csv.append(id).append(',').append(district).append(',').append(20 + id % 50).append(',')
                    .append(id * 10.5).append('\n');
        }
        admin.applyPolicy(TABLE_POLICY);
        fixture.client(Role.PROVIDER).registerDataset("visitors", "", csv.toString().getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    @AfterEach
    void resetClock() {
        fixture.clock.reset();
    }

    private static ScenarioApplicationRequest.Builder application(String scenario) {
        return ScenarioApplicationRequest.newBuilder().setScenarioId(scenario).setOrganization("Wuhan Health Bureau")
                .setPurpose(PURPOSE).setPlannedOutputs("visits per district, k people behind every figure")
                .addTables(ApplicationTable.newBuilder().setTable("visitors").addColumns("district")
                        .addColumns("age").addColumns("cost"))
                .setOutputMode("threshold").setMinGroupSize(5).setEpsilon(5).setTermDays(365);
    }

    private static Status.Code code(Throwable e) {
        return ((StatusRuntimeException) e).getStatus().getCode();
    }

    private static List<LedgerEntry> ledger(String action, String subject) throws Exception {
        return fixture.sandbox.ledger().entries().stream()
                .filter(e -> e.action().equals(action) && e.subject().equals(subject)).toList();
    }

    @Test
    void narrowedApplication_grantsOnlyWhatWasKept_andNothingOnceItsTermHasEnded() throws Exception {
        ScenarioApplicationInfo filed = developer.applyForScenario(application("visitors-study").build());
        assertThat(filed.getState()).isEqualTo("pending");
        assertThat(filed.getApplicant()).isEqualTo("Wang Fang");
        assertThat(filed.getRequested().getDevelopersList()).containsExactly("Wang Fang");
        // nothing is granted while it waits
        assertThatThrownBy(() -> developer.submitJob("visitors-study", "SELECT district, COUNT(*) AS n FROM visitors GROUP BY district"))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.NOT_FOUND));

        ScenarioApplicationInfo narrowed = admin.narrowApplication(ApplicationNarrowing.newBuilder()
                .setApplicationId(filed.getId()).setReason("cost is not needed for visit counts; one planning cycle")
                .addTables(ApplicationTable.newBuilder().setTable("visitors").addColumns("district").addColumns("age"))
                .setTermDays(180).setMinGroupSize(13).build());

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(narrowed.getState()).isEqualTo("narrowed");
        assertThat(narrowed.getExpires()).isEqualTo(today.plusDays(180).toString());
        assertThat(narrowed.getGranted().getTables(0).getColumnsList()).containsExactly("age", "district");
        assertThat(fixture.sandbox.scenarios(org.datasandbox.core.identity.Identity.system()))
                .filteredOn(s -> s.id().equals("visitors-study")).singleElement()
                .satisfies(s -> assertThat(s.expires()).isEqualTo(today.plusDays(180)));
        // the catalog shows the developer the granted columns only
        assertThat(developer.listCatalog().getTablesList()).filteredOn(t -> t.getName().equals("visitors"))
                .singleElement().satisfies(t -> assertThat(t.getColumnsList()).extracting(c -> c.getName())
                        .containsExactlyInAnyOrder("district", "age"));
        // a column taken away does not exist for the scenario, exactly like a column no table has
        assertThatThrownBy(() -> developer.submitJob("visitors-study",
                "SELECT district, SUM(cost) AS c FROM visitors GROUP BY district"))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> developer.submitJob("visitors-study",
                "SELECT district, SUM(salary) AS c FROM visitors GROUP BY district"))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.NOT_FOUND));
        // a granted query runs under the narrowed k (13): the oracle's districts of at least 13 people
        JobTicket ticket = developer.submitJob("visitors-study", "SELECT district, COUNT(*) AS n FROM visitors GROUP BY district");
        List<JobEvent> events = new ArrayList<>();
        assertThat(developer.watchJob(ticket.getJobId(), events::add).getState()).as(events.toString())
                .isEqualTo(JobState.RELEASED);
        Map<String, Long> released = new TreeMap<>();
        for (var row : developer.fetchResult(ticket.getJobId()).table().records()) {
            released.put((String) row.get("district"), ((Number) row.get("n")).longValue());
        }
        Map<String, Long> expected = new TreeMap<>();
        PEOPLE.forEach((district, people) -> {
            if (people >= 13) {
                expected.put(district, people.longValue());
            }
        });
        assertThat(released).isEqualTo(expected).isNotEmpty();
        // samples carry the granted columns only
        SandboxClient.Sample sample = developer.sample(SampleRequest.newBuilder().setScenario("visitors-study")
                .setTable("visitors").setKind("masked").setFormat("csv").setMaxRows(10).build());
        assertThat(new String(sample.data(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow().split(","))
                .containsExactlyInAnyOrder("district", "age");

        // the term ends: jobs, estimates and samples are refused with FAILED_PRECONDITION and an ErrorInfo
        fixture.clock.advance(Duration.ofDays(181));
        assertThatThrownBy(() -> developer.submitJob("visitors-study", "SELECT district, COUNT(*) AS n FROM visitors GROUP BY district"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(ErrorDetails.of(e).getReason()).isEqualTo("SCENARIO_EXPIRED");
                    assertThat(ErrorDetails.of(e).getMetadataMap()).containsEntry("scenario", "visitors-study");
                });
        assertThatThrownBy(() -> developer.estimateCost("visitors-study", "SELECT district, COUNT(*) AS n FROM visitors GROUP BY district"))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThatThrownBy(() -> developer.sample(SampleRequest.newBuilder().setScenario("visitors-study")
                .setTable("visitors").setKind("masked").setMaxRows(10).build()))
                .satisfies(e -> assertThat(code(e)).isIn(Status.Code.FAILED_PRECONDITION, Status.Code.NOT_FOUND));
        assertThat(developer.listCatalog().getTablesList()).noneMatch(t -> t.getName().equals("visitors"));
        fixture.clock.reset();

        // every step is in the ledger, with names and ids, and the purpose only as its hash
        LedgerEntry filedEntry = ledger("application.filed", filed.getId()).get(0);
        assertThat(filedEntry.details()).containsEntry("applicant", "Wang Fang")
                .containsEntry("grants", "visitors(age,cost,district)").containsKey("purposeSha");
        assertThat(ledger("application.narrowed", filed.getId())).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("grants", "visitors(age,district)")
                        .containsEntry("k", "13").containsEntry("expires", today.plusDays(180).toString()));
        for (LedgerEntry entry : fixture.sandbox.ledger().entries()) {
            assertThat(entry.details().values()).noneMatch(v -> v.contains(PURPOSE));
        }
    }

    @Test
    void narrowing_thatWouldWidenTheApplication_isRefusedAndTheApplicationStaysPending() {
        ScenarioApplicationInfo filed = developer.applyForScenario(application("visitors-wider").build());
        for (ApplicationNarrowing wider : List.of(
                ApplicationNarrowing.newBuilder().setApplicationId(filed.getId()).setReason("r")
                        .addTables(ApplicationTable.newBuilder().setTable("visitors").addColumns("person_id")).build(),
                ApplicationNarrowing.newBuilder().setApplicationId(filed.getId()).setReason("r").setTermDays(366).build(),
                ApplicationNarrowing.newBuilder().setApplicationId(filed.getId()).setReason("r").setMinGroupSize(3).build(),
                ApplicationNarrowing.newBuilder().setApplicationId(filed.getId()).setReason("r").setEpsilon(6).build(),
                ApplicationNarrowing.newBuilder().setApplicationId(filed.getId()).setReason("r")
                        .addTables(ApplicationTable.newBuilder().setTable("residents").addColumns("district")).build(),
                // a narrowing states its reason
                ApplicationNarrowing.newBuilder().setApplicationId(filed.getId()).setTermDays(30).build())) {
            assertThatThrownBy(() -> admin.narrowApplication(wider)).as(wider.toString())
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
        assertThat(admin.listApplications()).filteredOn(a -> a.getId().equals(filed.getId())).singleElement()
                .satisfies(a -> assertThat(a.getState()).isEqualTo("pending"));
    }

    @Test
    void rejection_needsAReason_isFinal_andMakesNoScenario() throws Exception {
        ScenarioApplicationInfo filed = developer.applyForScenario(application("visitors-rejected").build());
        assertThatThrownBy(() -> admin.rejectApplication(filed.getId(), " "))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));

        ScenarioApplicationInfo rejected = admin.rejectApplication(filed.getId(), "the purpose needs no person-level cost");

        assertThat(rejected.getState()).isEqualTo("rejected");
        assertThat(rejected.getDecidedBy()).isEqualTo("Li Na");
        assertThatThrownBy(() -> admin.approveApplication(filed.getId(), ""))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThat(fixture.sandbox.scenarios(org.datasandbox.core.identity.Identity.system()))
                .noneMatch(s -> s.id().equals("visitors-rejected"));
        assertThat(ledger("application.rejected", filed.getId())).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "the purpose needs no person-level cost"));
        // the developer sees their own applications and the decision
        assertThat(developer.listApplications()).filteredOn(a -> a.getId().equals(filed.getId())).singleElement()
                .satisfies(a -> assertThat(a.getReason()).isEqualTo("the purpose needs no person-level cost"));
    }

    @Test
    void approval_ofAColumnTheTableDoesNotHave_isRefusedByThePolicyCheckAndStaysPending() {
        ScenarioApplicationInfo filed = developer.applyForScenario(application("visitors-salary")
                .clearTables().addTables(ApplicationTable.newBuilder().setTable("visitors").addColumns("salary")).build());

        assertThatThrownBy(() -> admin.approveApplication(filed.getId(), ""))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThat(admin.listApplications()).filteredOn(a -> a.getId().equals(filed.getId())).singleElement()
                .satisfies(a -> assertThat(a.getState()).isEqualTo("pending"));
    }

    @Test
    void application_forMoreThanThreeYearsOrForAllColumns_isRefused() {
        assertThatThrownBy(() -> developer.applyForScenario(application("visitors-long").setTermDays(3 * 366 + 1).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> developer.applyForScenario(application("visitors-long").setTermDays(1100).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> developer.applyForScenario(application("visitors-all").clearTables()
                .addTables(ApplicationTable.newBuilder().setTable("visitors").addColumns("*")).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    private static int cli(java.io.ByteArrayOutputStream stdout, String... args) {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--port", Integer.toString(fixture.server.port()), "--data-dir", fixture.dataDir.toString()));
            return new picocli.CommandLine(new org.datasandbox.api.cli.SandboxCli()).execute(all.toArray(String[]::new));
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void scenarioCommand_appliesListsAndRejects_asADeveloperAndAnAdminWouldTypeIt() {
        var applied = new java.io.ByteArrayOutputStream();
        assertThat(cli(applied, "scenario", "apply", "--id", "visitors-cli", "--org", "Wuhan Health Bureau", "--purpose",
                "clinic planning", "--table", "visitors=district,age", "--outputs", "counts per district",
                "--term-days", "90", "--developer", "Zhao Lei")).isZero();
        String line = applied.toString(StandardCharsets.UTF_8);
        assertThat(line).contains("pending").contains("scenario visitors-cli").contains("visitors(age,district)")
                .contains("90 days").contains("applicant Wang Fang (Wuhan Health Bureau)");
        String id = line.substring(0, line.indexOf(' '));

        var listed = new java.io.ByteArrayOutputStream();
        assertThat(cli(listed, "scenario", "list", "--as", "admin")).isZero();
        assertThat(listed.toString(StandardCharsets.UTF_8)).contains(id);
        var rejected = new java.io.ByteArrayOutputStream();
        assertThat(cli(rejected, "scenario", "reject", id, "--reason", "duplicate of visitors-study")).isZero();
        assertThat(rejected.toString(StandardCharsets.UTF_8)).contains("rejected").contains("duplicate of visitors-study");
        // a decided application cannot be decided again: exit 1
        assertThat(cli(new java.io.ByteArrayOutputStream(), "scenario", "approve", id)).isEqualTo(1);
    }

    @Test
    void yamlScenario_getsThreeYearsByDefault_andIsRefusedBeyondThreeYearsOrInThePast() {
        String yaml = "kind: scenario\nid: %s\npurpose: terms\ndevelopers: [\"Wang Fang\"]\ngrants: {terms_only: [\"*\"]}\n";
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        admin.applyPolicy(yaml.formatted("term-default"));
        assertThat(fixture.sandbox.scenarios(org.datasandbox.core.identity.Identity.system()))
                .filteredOn(s -> s.id().equals("term-default")).singleElement()
                .satisfies(s -> assertThat(s.expires()).isIn(today.plusYears(3), LocalDate.now(ZoneOffset.UTC).plusYears(3)));
        admin.applyPolicy(yaml.formatted("term-stated") + "expires: " + today.plusYears(3) + "\n");
        for (LocalDate refused : List.of(today.plusYears(3).plusDays(1), today, today.minusDays(1))) {
            assertThatThrownBy(() -> admin.applyPolicy(yaml.formatted("term-refused") + "expires: " + refused + "\n"))
                    .as(refused.toString()).satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> admin.applyPolicy(yaml.formatted("term-refused") + "expires: next year\n"))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
}
