package org.datasandbox.core.dprelease;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.budget.ScenarioBudgets;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.policy.DpOutput;
import org.datasandbox.core.policy.PolicyStore;
import org.datasandbox.core.policy.ScenarioPolicy;
import org.datasandbox.core.release.ArrowResults;
import org.datasandbox.dp.accounting.AnswerCache;
import org.datasandbox.dp.accounting.AnswerKey;
import org.datasandbox.dp.accounting.Charge;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.dp.DpQuery;

/**
 * The sandbox side of a DP query, from the guard's plan to the released Arrow stream:
 * <ol>
 *   <li>the answer cache is asked first: the same query (scenario, its policy version, the guard's normalized SQL
 *   and every parameter of the release) returns the answer released before and spends nothing, so repeating a
 *   query cannot average the noise away;</li>
 *   <li>otherwise, holding the cache's lock for that query, the release's (epsilon, delta) is charged to the
 *   scenario's account of every table whose people it describes, all or none, before the SQL even runs;</li>
 *   <li>the SQL runs in Spark and its groups are streamed to {@link DpReleaser}, which keeps the released ones
 *   (public, or passing partition selection) and noises every value; the Arrow stream is stored in the cache
 *   durably and returned.</li>
 * </ol>
 * A result too large ({@code TOO_LARGE}) is refused before the charge when it is known from public facts (the
 * public combinations of the group keys); otherwise it is the noisy selection that passes more than
 * {@code maxGroups} groups, after the charge: that refusal is then the release (cached like an answer, so that
 * asking again spends nothing and says the same), and its message says the budget was spent.
 * Noise comes from the injected source (a secure one in production).
 */
public final class DpReleases {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DpReleases.class);

    private final PolicyStore policies;
    private final GuardCatalog catalog;
    private final ScenarioBudgets budgets;
    private final AnswerCache cache;
    private final CryptoProfile crypto;
    private final Noises noises;
    private final RandomSource random;
    private final int maxGroups;

    public DpReleases(PolicyStore policies, GuardCatalog catalog, ScenarioBudgets budgets, AnswerCache cache,
                      CryptoProfile crypto, Noises noises, RandomSource random, int maxGroups) {
        this.policies = Objects.requireNonNull(policies, "policies");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.budgets = Objects.requireNonNull(budgets, "budgets");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.crypto = Objects.requireNonNull(crypto, "crypto");
        this.noises = Objects.requireNonNull(noises, "noises");
        this.random = Objects.requireNonNull(random, "random");
        if (maxGroups < 1) {
            throw new IllegalArgumentException("maxGroups must be >= 1. Provided value: " + maxGroups);
        }
        this.maxGroups = maxGroups;
    }

    /**
     * A released DP answer.
     *
     * @param epsilon what the answer cost when first released
     * @param spent whether this call spent it (false: the cached answer of an earlier identical query)
     * @param answerDigest the cache key's digest: the same for every identical query
     */
    public record Answer(byte[] arrowIpc, long rows, double epsilon, double delta, boolean spent, String answerDigest,
                         String bounding) {
        /** The figures a ledger entry of this release records: costs and hashes, never values. */
        public Map<String, String> ledgerDetails() {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("mode", "dp");
            details.put("epsilon", figure(epsilon));
            details.put("delta", figure(delta));
            details.put("epsilonSpent", figure(spent ? epsilon : 0));
            details.put("deltaSpent", figure(spent ? delta : 0));
            details.put("cached", Boolean.toString(!spent));
            details.put("answerDigest", answerDigest);
            details.put("bounding", bounding);
            return details;
        }
    }

    /** What a cached answer holds: the released stream and its cost, or the refusal the noisy selection gave. */
    record Stored(String ipc, long rows, double epsilon, double delta, boolean tooLarge, String bounding) {
    }

    /** Which path bounded the contributions: the streaming pass or the rewrite's SQL (a cached answer: none now). */
    public static final String STREAMING = "streaming";
    public static final String SQL = "sql";
    public static final String CACHED = "cached";

    /** The per-query parameters of a scenario in DP mode. */
    public static QueryBudget budgetOf(ScenarioPolicy scenario) {
        DpOutput dp = scenario.dp();
        return new QueryBudget(dp.epsilon(), dp.delta(), dp.bounds(), QueryBudget.DEFAULT_CONFIDENCE, dp.noise());
    }

    /**
     * What the query would spend, without running it (a dry run): the scenario's per-query epsilon, and delta when
     * groups come from the data; nothing when its answer is cached.
     */
    public CostEstimate estimate(String scenarioId, DpQuery query, Collection<String> read) {
        ScenarioPolicy scenario = scenario(scenarioId);
        QueryBudget budget = budgetOf(scenario);
        BudgetSplit split;
        try {
            split = new DpReleaser(query, budget, noises, random, maxGroups).split(); // with its choice of mechanism
        } catch (IllegalArgumentException e) {
            throw SandboxException.invalid("Scenario '" + scenarioId + "' cannot release this query: " + e.getMessage());
        }
        boolean cached = cache.get(AnswerKey.of(scenario.id(), normalized(scenario, budget, split, query))).isPresent();
        List<String> accounts = UnitLinks.accounts(catalog, read);
        boolean affordable = cached || accounts.stream().allMatch(table -> budgets.status(
                new org.datasandbox.dp.accounting.BudgetKey(scenario.id(), table))
                .map(s -> s.spent().plus(split.charged()).fits(s.lifetime())).orElse(!read.contains(table)));
        return new CostEstimate(scenario.id(), "dp", cached ? 0 : split.charged().epsilon(),
                cached ? 0 : split.charged().delta(), cached, affordable, accounts, query.sparkSql());
    }

    /**
     * Releases a DP query's answer, or returns the cached one.
     *
     * @param reference what the charge refers to (the job id)
     * @param read the tables the query reads, as the guard found them
     * @param sql runs SQL on the originals
     */
    public Answer release(String scenarioId, String reference, DpQuery query, Collection<String> read,
                          Function<String, Dataset<Row>> sql) {
        ScenarioPolicy scenario = scenario(scenarioId);
        QueryBudget budget = budgetOf(scenario);
        DpReleaser releaser;
        try {
            releaser = new DpReleaser(query, budget, noises, random, maxGroups);
        } catch (IllegalArgumentException e) {
            throw SandboxException.invalid("Scenario '" + scenarioId + "' cannot release this query: " + e.getMessage());
        }
        AnswerKey key = AnswerKey.of(scenario.id(), normalized(scenario, budget, releaser.split(), query));
        AtomicBoolean spent = new AtomicBoolean();
        String stored = cache.releaseOnce(key, () -> {
            spent.set(true);
            return fresh(scenario, reference, query, read, sql, releaser);
        });
        Stored answer = read(stored);
        if (answer.tooLarge()) {
            throw tooManySelected(spent.get());
        }
        return new Answer(Base64.getDecoder().decode(answer.ipc()), answer.rows(), answer.epsilon(), answer.delta(),
                spent.get(), key.digest(), spent.get() && answer.bounding() != null ? answer.bounding() : CACHED);
    }

    /**
     * A dev run of a DP query on the masked samples: the same release, noise and intervals included, so that the
     * developer sees the shape the originals will give; it spends nothing and caches nothing, since the samples
     * are released already.
     */
    public byte[] devRun(String scenarioId, DpQuery query, Dataset<Row> frame) {
        DpReleaser releaser;
        try {
            releaser = new DpReleaser(query, budgetOf(scenario(scenarioId)), noises, random, maxGroups);
        } catch (IllegalArgumentException e) {
            throw SandboxException.invalid("Scenario '" + scenarioId + "' cannot release this query: " + e.getMessage());
        }
        checkPublicCombinations(query);
        DpRelease release;
        try {
            release = releaser.release(frame.schema(), PartialRows.stream(frame, query));
        } catch (DpReleaser.TooManyGroups e) {
            throw new SandboxException(ErrorCode.TOO_LARGE, "More than " + maxGroups + " groups of the DP query passed "
                    + "partition selection on the samples; group by coarser keys or filter on public values. A dev run "
                    + "spends nothing");
        }
        return ArrowResults.encode(release.schema(), release.rows(), release.metadata());
    }

    private String fresh(ScenarioPolicy scenario, String reference, DpQuery query, Collection<String> read,
                         Function<String, Dataset<Row>> sql, DpReleaser releaser) {
        checkPublicCombinations(query); // known before anything is spent or run
        List<String> accounts = UnitLinks.accounts(catalog, read);
        budgets.chargeOnce(scenario.id(), accounts, releaser.split().charged(), Charge.Purpose.QUERY,
                "dp-query:" + reference);
        Stored stored;
        String bounding = SQL;
        try {
            DpRelease release = null;
            Optional<Dataset<Row>> streamed = streamingPartials(query, sql);
            Optional<Iterator<GroupPartials>> groups = streamed.flatMap(frame -> firstGroupRuns(frame, query));
            if (groups.isPresent()) {
                bounding = STREAMING;
                release = releaser.release(streamed.get().schema(), groups.get());
            }
            if (release == null) {
                Dataset<Row> frame = sql.apply(query.sparkSql());
                release = releaser.release(frame.schema(), PartialRows.stream(frame, query));
            }
            byte[] ipc = ArrowResults.encode(release.schema(), release.rows(), release.metadata());
            stored = new Stored(Base64.getEncoder().encodeToString(ipc), release.rows().size(),
                    release.charged().epsilon(), release.charged().delta(), false, bounding);
        } catch (DpReleaser.TooManyGroups e) {
            // the noisy selection's answer, paid for: kept like any answer, so that asking again spends nothing
            stored = new Stored("", 0, releaser.split().charged().epsilon(), releaser.split().charged().delta(), true,
                    bounding);
        }
        try {
            return JSON.writeValueAsString(stored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The streaming pass's partials when the plan has unit rows stored in the layout it needs; empty otherwise (the
     * SQL path). A plan that cannot be inspected is the SQL path's too.
     */
    private static Optional<Dataset<Row>> streamingPartials(DpQuery query, Function<String, Dataset<Row>> sql) {
        try {
            return StreamingUnitBounding.partials(query, sql);
        } catch (Exception e) {
            LOG.warn("DP release: the streaming bounding could not be planned ({}); the SQL path bounds it",
                    e.getClass().getName());
            return Optional.empty();
        }
    }

    /**
     * Runs the pass up to its first group. Every partition's pass has run by then (the GROUP BY of the partials
     * needs all of them), so a layout violation surfaces here, before the releaser has seen a group: nothing of
     * that run is used and the SQL path bounds the query. The log says which, never a value.
     */
    private static Optional<Iterator<GroupPartials>> firstGroupRuns(Dataset<Row> frame, DpQuery query) {
        try {
            Iterator<GroupPartials> groups = PartialRows.stream(frame, query); // Spark starts the job here
            groups.hasNext();
            return Optional.of(groups);
        } catch (Exception e) { // Spark rethrows a task's failure as a (checked) SparkException
            if (!LayoutViolation.causes(e)) {
                throw e;
            }
            LOG.warn("DP release: the stored layout is not clustered and sorted by the privacy unit; "
                    + "the streaming run is discarded and the SQL path bounds the query");
            return Optional.empty();
        }
    }

    /** Everything that makes two releases the same; the cache keeps only its digest. */
    private String normalized(ScenarioPolicy scenario, QueryBudget budget, BudgetSplit split, DpQuery query) {
        String text = String.join("\n", "dp-release/1", scenario.id(), Integer.toString(scenario.version()), scenario.sha(),
                budget.epsilon().toPlainString(), Double.toString(budget.delta()), budget.bounds().toString(),
                Double.toString(budget.confidence()), split.mechanism().name(), query.normalizedQuery(),
                query.groupKeys().toString(), query.aggregates().toString(), query.unitCountColumn(),
                new java.util.TreeMap<>(query.publicDomains()).toString());
        return HexFormat.of().formatHex(crypto.hash(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private ScenarioPolicy scenario(String scenarioId) {
        ScenarioPolicy scenario = policies.scenario(scenarioId == null ? "" : scenarioId)
                .orElseThrow(() -> SandboxException.notFound("scenario '" + scenarioId + "'"));
        policies.requireInForce(scenario); // a job queued before the term ended releases nothing after it
        return scenario;
    }

    /** Public facts only: the public combinations of the group keys, when every key has a public domain. */
    private void checkPublicCombinations(DpQuery query) {
        if (query.groupsArePublic()) {
            long combinations = 1;
            for (String key : query.groupKeys()) {
                combinations = Math.min((long) maxGroups + 1, combinations * query.publicDomains().get(key).size());
            }
            if (combinations > maxGroups) {
                throw new SandboxException(ErrorCode.TOO_LARGE, "The DP query's public group values make more than "
                        + maxGroups + " groups; group by fewer keys or filter on public values. Nothing was spent");
            }
        }
    }

    private SandboxException tooManySelected(boolean spentNow) {
        return new SandboxException(ErrorCode.TOO_LARGE, "More than " + maxGroups + " groups of the DP query passed "
                + "partition selection; group by coarser keys or filter on public values. "
                + (spentNow ? "The query's privacy budget was spent and is not refunded (the refusal comes from the "
                + "noisy release); asking again gives the same answer and spends nothing"
                : "The query's privacy budget was spent when it was first asked; this answer spent nothing"));
    }

    private static Stored read(String stored) {
        try {
            return JSON.readValue(stored, Stored.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String figure(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
