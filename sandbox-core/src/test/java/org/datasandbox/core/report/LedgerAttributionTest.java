package org.datasandbox.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.datasandbox.core.ledger.LedgerEntry;
import org.junit.jupiter.api.Test;

class LedgerAttributionTest {
    private final List<LedgerEntry> entries = new ArrayList<>();

    private LedgerEntry add(String action, String subject, Map<String, String> details) {
        LedgerEntry entry = new LedgerEntry(entries.size() + 1, "2026-03-01T00:00:00Z", "someone", "developer", "01",
                action, subject, details, "0".repeat(64), "", "");
        entries.add(entry);
        return entry;
    }

    @Test
    void operator_isTheApprovedApplicationsOrganization_notALaterRejectedOnesForTheSameId() {
        add("application.filed", "app-1", Map.of("scenario", "s1", "organization", "Org A"));
        add("application.approved", "app-1", Map.of("scenario", "s1", "organization", "Org A"));
        add("application.filed", "app-2", Map.of("scenario", "s1", "organization", "Org B"));
        add("application.rejected", "app-2", Map.of("scenario", "s1"));
        add("application.filed", "app-3", Map.of("scenario", "s2", "organization", "Org C"));
        add("application.narrowed", "app-3", Map.of("scenario", "s2", "organization", "Org D"));
        LedgerAttribution attribution = new LedgerAttribution(entries);
        assertThat(attribution.operator("s1")).isEqualTo("Org A");
        assertThat(attribution.operator("s2")).isEqualTo("Org D");
        assertThat(attribution.operator("yaml-scenario")).isEqualTo(LedgerAttribution.NO_OPERATOR);
    }

    @Test
    void scenario_followsJobsAndReleaseRequests_andIsEmptyForEntriesOfNoScenario() {
        add("job.submitted", "job-1", Map.of("scenario", "s1"));
        LedgerEntry refused = add("job.refused", "job-1", Map.of("code", "TOO_MANY_JOBS"));
        add("release.held", "rr-1", Map.of("scenario", "s1", "job", "job-1"));
        LedgerEntry voteRefused = add("release.vote.refused", "rr-1", Map.of("code", "OWN_REQUEST"));
        LedgerEntry vote = add("release.vote", "rr-1", Map.of("job", "job-1"));
        LedgerEntry ended = add("authorization.ended", "s2", Map.of("reason", "term"));
        LedgerEntry call = add("rpc", "/datasandbox.v1.JobService/SubmitJob", Map.of("status", "OK"));
        LedgerEntry otherJob = add("job.cancelled", "job-9", Map.of());
        LedgerAttribution attribution = new LedgerAttribution(entries);
        assertThat(attribution.scenario(refused)).isEqualTo("s1");
        assertThat(attribution.scenario(voteRefused)).isEqualTo("s1");
        assertThat(attribution.scenario(vote)).isEqualTo("s1");
        assertThat(attribution.scenario(ended)).isEqualTo("s2");
        assertThat(attribution.scenario(call)).isEmpty();
        assertThat(attribution.scenario(otherJob)).isEmpty();
    }
}
