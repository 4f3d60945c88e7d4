package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.v1.QualityIssueInfo;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.LedgerEntry;
import org.datasandbox.core.quality.QualityStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data-quality feedback over the real TLS server with client certificates: a developer files on a granted table, the
 * provider who registered it answers, the 3-working-day deadline (Asia/Shanghai, Saturday and Sunday off: the test
 * data directory has no working-day file) is tracked with the fixture's clock, overdue issues are listed. The table
 * {@code quality_probe} is this class's alone and no scenario grants it.
 */
class QualityFeedbackTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final String PROBE_POLICY = """
            kind: table-policy
            table: quality_probe
            output: {mode: threshold, k: 5}
            columns:
              - {name: person_id, type: bigint, role: privacy_unit, mask: pseudonym}
              - {name: district, type: string, role: dimension}
            """;
    private static final String DESCRIPTION = "District names mix the old and the new codes in about a tenth of rows";
    private static GrpcFixture fixture;
    private static SandboxClient developer;
    private static SandboxClient provider;
    private static SandboxClient admin;

    @BeforeAll
    static void start() {
        fixture = GrpcFixture.get();
        developer = fixture.client(Role.DEVELOPER);
        provider = fixture.client(Role.PROVIDER);
        admin = fixture.client(Role.ADMIN);
        admin.applyPolicy(PROBE_POLICY);
        provider.registerDataset("quality_probe", "", "person_id,district\n1,east\n2,west\n".getBytes(
                StandardCharsets.UTF_8), Map.of());
    }

    @AfterEach
    void resetClock() {
        fixture.clock.reset();
    }

    /** Oracle: the end of the 3rd Monday-to-Friday day after the filing day, counted by hand in Shanghai. */
    private static Instant threeWorkingDaysAfter(Instant filed) {
        LocalDate day = filed.atZone(SHANGHAI).toLocalDate();
        int counted = 0;
        while (counted < 3) {
            day = day.plusDays(1);
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                counted++;
            }
        }
        return day.plusDays(1).atStartOfDay(SHANGHAI).toInstant();
    }

    private static List<LedgerEntry> entriesOf(String subject) throws Exception {
        return fixture.sandbox.ledger().entries().stream().filter(e -> e.subject().equals(subject)).toList();
    }

    @Test
    void file_grantedTable_isOpenWithADeadlineOfThreeWorkingDays_andLedgeredWithoutItsText() throws Exception {
        QualityIssueInfo issue = developer.fileQualityIssue("residents", "inconsistent codes", DESCRIPTION);

        assertThat(issue.getState()).isEqualTo("open");
        assertThat(issue.getFiledBy())
                .isEqualTo(org.datasandbox.core.identity.CertificateAuthority.DEMO_HOLDERS.get(Role.DEVELOPER));
        assertThat(issue.getZone()).isEqualTo("Asia/Shanghai");
        assertThat(Instant.parse(issue.getDeadline())).isEqualTo(threeWorkingDaysAfter(Instant.parse(issue.getFiled())));
        List<LedgerEntry> entries = entriesOf(issue.getId());
        assertThat(entries).extracting(LedgerEntry::action).containsExactly("quality.filed");
        assertThat(entries.get(0).details()).containsEntry("table", "residents")
                .containsEntry("deadline", issue.getDeadline()).containsKey("descriptionSha");
        assertThat(entries.get(0).details().values()).noneMatch(v -> v.contains("District") || v.contains("codes"));
    }

    @Test
    void file_tableNotGranted_orMissing_isNotFoundAlike() {
        StatusRuntimeException notGranted = catchStatus(() -> developer.fileQualityIssue("quality_probe", "missing values",
                DESCRIPTION));
        StatusRuntimeException missing = catchStatus(() -> developer.fileQualityIssue("no_such_table", "missing values",
                DESCRIPTION));
        assertThat(notGranted.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(notGranted.getStatus().getDescription().replace("quality_probe", "T"))
                .isEqualTo(missing.getStatus().getDescription().replace("no_such_table", "T"));
        assertThat(ErrorDetails.of(notGranted).getDomain()).isEqualTo("datasandbox.org");
    }

    @Test
    void file_descriptionWithAValue_isRefused_andTheValueIsNotEchoed() {
        StatusRuntimeException refused = catchStatus(() -> developer.fileQualityIssue("residents", "wrong values",
                "resident 420102199003071234 appears twice"));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription()).doesNotContain("420102199003071234");
        assertThat(ErrorDetails.of(refused).getMetadataMap().values()).noneMatch(v -> v.contains("4201021990"));
    }

    @Test
    void answer_byTheRegisteringProvider_beforeTheDeadline_isAnswered_andOnlyOnce() throws Exception {
        QualityIssueInfo issue = developer.fileQualityIssue("medical_visits", "missing values",
                "Visit costs are empty for one district in the last quarter");
        QualityIssueInfo answered = provider.answerQualityIssue(issue.getId(),
                "The district's clinics report late; the next load fills them");
        assertThat(answered.getState()).isEqualTo("answered");
        assertThat(answered.getAnsweredBy()).isEqualTo(
                org.datasandbox.core.identity.CertificateAuthority.DEMO_HOLDERS.get(Role.PROVIDER));
        assertThat(entriesOf(issue.getId())).extracting(LedgerEntry::action)
                .containsExactly("quality.filed", "quality.answered");
        assertThat(entriesOf(issue.getId()).get(1).details()).containsEntry("late", "false");
        assertThat(catchStatus(() -> provider.answerQualityIssue(issue.getId(), "Again")).getStatus().getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(catchStatus(() -> provider.answerQualityIssue("dq-000000000000", "No such issue")).getStatus()
                .getCode()).isEqualTo(Status.Code.NOT_FOUND);
        // the developer sees the answer to their own issue
        assertThat(developer.listQualityIssues(false)).filteredOn(i -> i.getId().equals(issue.getId()))
                .singleElement().extracting(QualityIssueInfo::getAnswer)
                .isEqualTo("The district's clinics report late; the next load fills them");
    }

    @Test
    void listOverdue_afterTheDeadline_listsTheOpenIssue_untilItIsAnsweredLate() throws Exception {
        QualityIssueInfo issue = developer.fileQualityIssue("patients", "duplicates",
                "Some patients appear twice with different spellings of the district");
        assertThat(admin.listQualityIssues(true)).extracting(QualityIssueInfo::getId).doesNotContain(issue.getId());

        Duration untilDeadline = Duration.between(Instant.now(), Instant.parse(issue.getDeadline()));
        fixture.clock.advance(untilDeadline.plusMinutes(1));
        for (SandboxClient who : List.of(admin, provider, developer, fixture.client(Role.AUDITOR))) {
            assertThat(who.listQualityIssues(true)).filteredOn(i -> i.getId().equals(issue.getId())).singleElement()
                    .extracting(QualityIssueInfo::getState).isEqualTo("overdue");
        }
        QualityIssueInfo answered = provider.answerQualityIssue(issue.getId(), "Merged the two spellings");
        assertThat(answered.getState()).isEqualTo("answered-late");
        assertThat(entriesOf(issue.getId()).get(1).details()).containsEntry("late", "true");
        assertThat(admin.listQualityIssues(true)).extracting(QualityIssueInfo::getId).doesNotContain(issue.getId());
    }

    @Test
    void issues_arePersisted_andReadBackByANewStore() throws Exception {
        QualityIssueInfo issue = developer.fileQualityIssue("arrests", "outdated", "The table ends a year ago");
        QualityStore reopened = QualityStore.open(fixture.dataDir.resolve("quality"));
        assertThat(reopened.get(issue.getId())).hasValueSatisfying(i -> {
            assertThat(i.description()).isEqualTo("The table ends a year ago");
            assertThat(i.deadline()).isEqualTo(issue.getDeadline());
        });
        assertThat(Files.list(fixture.dataDir.resolve("quality")).map(p -> p.getFileName().toString()))
                .contains(issue.getId() + ".json");
    }

    private static StatusRuntimeException catchStatus(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the call was not refused");
    }
}
