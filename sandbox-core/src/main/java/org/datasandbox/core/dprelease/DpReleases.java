package org.datasandbox.core.dprelease;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
import org.datasandbox.dp.noise.Noise;
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
 *   <li>the SQL runs in Spark and its groups are collected (at most {@code maxGroups});</li>
 *   <li>{@link DpReleaser} selects groups and noises every value; the Arrow stream is stored in the cache durably
 *   and returned.</li>
 * </ol>
 * Noise comes from the injected source (a secure one in production).
 */
public final class DpReleases {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PolicyStore policies;
    private final GuardCatalog catalog;
    private final ScenarioBudgets budgets;
    private final AnswerCache cache;
    private final CryptoProfile crypto;
    private final Noise noise;
    private final RandomSource random;
    private final int maxGroups;

    public DpReleases(PolicyStore policies, GuardCatalog catalog, ScenarioBudgets budgets, AnswerCache cache,
                      CryptoProfile crypto, Noise noise, RandomSource random, int maxGroups) {
        this.policies = Objects.requireNonNull(policies, "policies");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.budgets = Objects.requireNonNull(budgets, "budgets");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.crypto = Objects.requireNonNull(crypto, "crypto");
        this.noise = Objects.requireNonNull(noise, "noise");
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
    public record Answer(byte[] arrowIpc, long rows, double epsilon, double delta, boolean spent, String answerDigest) {
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
            return details;
        }
    }

    /** What a cached answer holds: the released stream and its cost. */
    record Stored(String ipc, long rows, double epsilon, double delta) {
    }

    /** The per-query parameters of a scenario in DP mode. */
    public static QueryBudget budgetOf(ScenarioPolicy scenario) {
        DpOutput dp = scenario.dp();
        return new QueryBudget(dp.epsilon(), dp.delta(), dp.bounds(), QueryBudget.DEFAULT_CONFIDENCE);
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
            split = BudgetSplit.of(query, budget);
        } catch (IllegalArgumentException e) {
            throw SandboxException.invalid("Scenario '" + scenarioId + "' cannot release this query: " + e.getMessage());
        }
        boolean cached = cache.get(AnswerKey.of(scenario.id(), normalized(scenario, budget, query))).isPresent();
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
            releaser = new DpReleaser(query, budget, noise, random, maxGroups);
        } catch (IllegalArgumentException e) {
            throw SandboxException.invalid("Scenario '" + scenarioId + "' cannot release this query: " + e.getMessage());
        }
        AnswerKey key = AnswerKey.of(scenario.id(), normalized(scenario, budget, query));
        AtomicBoolean spent = new AtomicBoolean();
        String stored = cache.releaseOnce(key, () -> {
            spent.set(true);
            return fresh(scenario, reference, query, read, sql, releaser);
        });
        Stored answer = read(stored);
        return new Answer(Base64.getDecoder().decode(answer.ipc()), answer.rows(), answer.epsilon(), answer.delta(),
                spent.get(), key.digest());
    }

    /**
     * A dev run of a DP query on the masked samples: the same release, noise and intervals included, so that the
     * developer sees the shape the originals will give; it spends nothing and caches nothing, since the samples
     * are released already.
     */
    public byte[] devRun(String scenarioId, DpQuery query, Dataset<Row> frame) {
        DpReleaser releaser;
        try {
            releaser = new DpReleaser(query, budgetOf(scenario(scenarioId)), noise, random, maxGroups);
        } catch (IllegalArgumentException e) {
            throw SandboxException.invalid("Scenario '" + scenarioId + "' cannot release this query: " + e.getMessage());
        }
        List<GroupPartials> groups;
        try {
            groups = PartialRows.collect(frame, query, maxGroups);
        } catch (IllegalArgumentException e) {
            throw tooManyGroups();
        }
        DpRelease release = releaser.release(frame.schema(), groups);
        return ArrowResults.encode(release.schema(), release.rows(), release.metadata());
    }

    private String fresh(ScenarioPolicy scenario, String reference, DpQuery query, Collection<String> read,
                         Function<String, Dataset<Row>> sql, DpReleaser releaser) {
        if (query.groupsArePublic()) {
            long combinations = 1;
            for (String key : query.groupKeys()) {
                combinations = Math.min((long) maxGroups + 1, combinations * query.publicDomains().get(key).size());
            }
            if (combinations > maxGroups) {
                throw tooManyGroups(); // public: known before anything is spent or run
            }
        }
        List<String> accounts = UnitLinks.accounts(catalog, read);
        budgets.chargeOnce(scenario.id(), accounts, releaser.split().charged(), Charge.Purpose.QUERY,
                "dp-query:" + reference);
        Dataset<Row> frame = sql.apply(query.sparkSql());
        List<GroupPartials> groups;
        try {
            groups = PartialRows.collect(frame, query, maxGroups);
        } catch (IllegalArgumentException e) {
            throw tooManyGroups();
        }
        DpRelease release = releaser.release(frame.schema(), groups);
        byte[] ipc = ArrowResults.encode(release.schema(), release.rows(), release.metadata());
        try {
            return JSON.writeValueAsString(new Stored(Base64.getEncoder().encodeToString(ipc), release.rows().size(),
                    release.charged().epsilon(), release.charged().delta()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything that makes two releases the same; the cache keeps only its digest. */
    private String normalized(ScenarioPolicy scenario, QueryBudget budget, DpQuery query) {
        String text = String.join("\n", "dp-release/1", scenario.id(), Integer.toString(scenario.version()), scenario.sha(),
                budget.epsilon().toPlainString(), Double.toString(budget.delta()), budget.bounds().toString(),
                Double.toString(budget.confidence()), noise.mechanism().name(), query.normalizedQuery(),
                query.groupKeys().toString(), query.aggregates().toString(), query.unitCountColumn(),
                new java.util.TreeMap<>(query.publicDomains()).toString());
        return HexFormat.of().formatHex(crypto.hash(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private ScenarioPolicy scenario(String scenarioId) {
        ScenarioPolicy scenario = policies.scenario(scenarioId == null ? "" : scenarioId)
                .orElseThrow(() -> SandboxException.notFound("scenario '" + scenarioId + "'"));
        return scenario;
    }

    private SandboxException tooManyGroups() {
        return new SandboxException(ErrorCode.TOO_LARGE, "The DP query has more than " + maxGroups
                + " groups; group by coarser keys or filter on public values");
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
