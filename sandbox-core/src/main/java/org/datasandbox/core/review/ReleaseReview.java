package org.datasandbox.core.review;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.policy.ReviewPolicy;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.Scenario;

/**
 * The release rule of threshold and review mode, applied to every output about to leave: compute its disclosure
 * report; in review mode hold it for reviewers; in threshold mode hold it only when a cell differences an earlier
 * release of the scenario, else let it leave. The cells of every output that leaves (automatically or approved)
 * join the scenario's history, so later outputs are compared with them.
 */
public final class ReleaseReview {
    /**
     * An output about to leave, with what the report and the reviewer need.
     *
     * @param output where it is kept: already sealed as the job's held output, which the desk keeps if it holds it
     */
    public record Output(String jobId, Identity requester, String scenario, Scenario guardScenario, ReviewPolicy policy,
                         String submittedSql, String rewrittenSql, String sqlHash, Set<ColumnRef> outputColumns,
                         OutputSource output, String resultSha, long rows, Set<String> tablesRead) {
        public Output {
            java.util.Objects.requireNonNull(output, "output");
            tablesRead = Set.copyOf(tablesRead);
        }
    }

    private final ReviewDesk desk;
    private final DisclosureAnalyzer analyzer;
    private final Map<String, DisclosureAnalyzer.Analysis> held = new ConcurrentHashMap<>();
    private volatile boolean compareEarlier = true;

    public ReleaseReview(ReviewDesk desk, DisclosureAnalyzer analyzer) {
        this.desk = desk;
        this.analyzer = analyzer;
    }

    public ReviewDesk desk() {
        return desk;
    }

    /**
     * Whether threshold outputs are compared with the scenario's earlier releases (the default). Off only for
     * throw-away sandboxes that judge each query alone ({@code sandbox query --batch}): there no output leaves.
     */
    public void compareWithEarlierReleases(boolean compare) {
        this.compareEarlier = compare;
    }

    /**
     * Decides whether an output leaves now.
     *
     * @param sql runs Spark SQL on the originals (for the report)
     * @return the request holding it, or empty when it may leave now (its cells are then in the history)
     */
    public Optional<ReleaseRequest> check(Output output, Function<String, Dataset<Row>> sql) {
        DisclosureSettings settings = output.policy().disclosure(output.guardScenario().minGroupSize());
        DisclosureAnalyzer.Analysis analysis = analyzer.analyse(output.jobId(), output.guardScenario(), settings,
                output.submittedSql(), output.tablesRead(), output.outputColumns(), output.output(), output.rows(), sql);
        boolean reviewMode = output.policy().everyOutput();
        if (!reviewMode && (!compareEarlier || !analysis.report().differencesEarlier())) {
            if (compareEarlier) {
                analyzer.history().record(output.scenario(), analysis.cells());
            }
            return Optional.empty();
        }
        held.put(output.jobId(), analysis);
        return Optional.of(desk.hold(new HeldOutput(output.jobId(), output.scenario(), output.requester(),
                reviewMode ? HoldReason.REVIEW_MODE : HoldReason.POSSIBLE_DIFFERENCE, output.submittedSql(),
                output.rewrittenSql(), output.sqlHash(), output.resultSha(), output.rows(), null,
                analysis.report(), output.policy().reviewers())));
    }

    /** A held output was approved and leaves: its cells join the history. */
    public void released(String scenario, String jobId) {
        DisclosureAnalyzer.Analysis analysis = held.remove(jobId);
        if (analysis != null) {
            analyzer.history().record(scenario, analysis.cells());
        }
    }

    /** A held output will never leave. */
    public void dropped(String jobId) {
        held.remove(jobId);
    }
}
