package org.datasandbox.core.report;

import java.util.List;
import java.util.Objects;

/**
 * One operator's scenario in one year, every figure counted from ledger entries (see {@link AnnualReports}).
 *
 * @param datasets tables the guard let queries of the scenario read
 * @param jobsRun jobs submitted ({@code job.submitted})
 * @param outputsReleased results released ({@code job.released})
 * @param outputsReviewed outputs held for review ({@code release.held})
 * @param reviewVotes reviewers' votes on them ({@code release.vote})
 * @param epsilonSpent privacy budget spent, the sum of {@code budget.spent} epsilons
 * @param refusals queries the guard refused, jobs refused (at submission, or failed with {@code POLICY_DENIED} or
 *                 {@code SCENARIO_EXPIRED} when running: once per job), votes refused
 * @param revocations certificates revoked when the scenario's authorization ended
 */
public record ReportRow(String operator, String scenario, List<String> datasets, long jobsRun, long outputsReleased,
                        long outputsReviewed, long reviewVotes, String epsilonSpent, long refusals,
                        long revocations) {
    public ReportRow {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(scenario, "scenario");
        datasets = List.copyOf(datasets);
        Objects.requireNonNull(epsilonSpent, "epsilonSpent");
    }
}
