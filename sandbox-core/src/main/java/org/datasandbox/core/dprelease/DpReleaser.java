package org.datasandbox.core.dprelease;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.dp.aggregation.DpResult;
import org.datasandbox.dp.aggregation.PartitionSelection;
import org.datasandbox.dp.noise.DiscreteLaplace;
import org.datasandbox.core.policy.NoiseChoice;
import org.datasandbox.dp.noise.IntegerNoise;
import org.datasandbox.dp.noise.Mechanism;
import org.datasandbox.dp.noise.Noise;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.DpQuery;

/**
 * Turns the bounded partials of a DP query into its noisy release. Single use: it draws the noise of one
 * release, whose budget the caller has charged before calling {@link #release}.
 *
 * <p>Which groups are released: when every group key has a public domain, every combination of the public values,
 * whether the data has it or not (absent ones with zero partials: noisy zeros), and no group outside them; else
 * the groups of the data whose noisy distinct-unit count reaches the partition-selection threshold, computed for
 * the discrete Laplace actually sampled (sensitivity L0: a unit is in at most L0 groups, once each). A query
 * without group keys releases its one group always. Released rows are sorted by their keys, so that their order
 * says nothing the values do not.
 */
public final class DpReleaser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private enum State {
        OPEN,
        RELEASED
    }

    private final DpQuery query;
    private final QueryBudget budget;
    private final BudgetSplit split;
    private final Noises noises;
    private final RandomSource random;
    private final long maxGroups;
    private State state = State.OPEN;

    /**
     * @param noises the noise of each mechanism: the values get the split's, partition selection the discrete
     *               Laplace; real samplers over a secure source in production
     * @param random the randomness of the quantile trees (the same secure source)
     * @param maxGroups the most groups a release may hold
     */
    public DpReleaser(DpQuery query, QueryBudget budget, Noises noises, RandomSource random, long maxGroups) {
        this.query = Objects.requireNonNull(query, "query");
        this.budget = Objects.requireNonNull(budget, "budget");
        // one calibration per mechanism and sensitivity for the whole release: the check below and every group's
        // value share it (a calibration is a function of public parameters; every draw stays fresh)
        this.noises = CalibratedOnce.per(Objects.requireNonNull(noises, "noises"));
        this.split = calibrated(query, budget, this.noises, random);
        this.random = Objects.requireNonNull(random, "random");
        this.maxGroups = maxGroups;
    }

    /**
     * The split, every value's noise calibrated once here, before anything is charged: a calibration out of range
     * (a Gaussian sigma above 1e9 for a wide sum, say) refuses the query now rather than after its charge. When
     * the scenario left the choice to the sandbox and the Gaussian cannot be calibrated, the Laplace is taken.
     */
    private static BudgetSplit calibrated(DpQuery query, QueryBudget budget, Noises noises, RandomSource random) {
        BudgetSplit split = BudgetSplit.of(query, budget);
        try {
            check(query, budget, split, noises, random);
            return split;
        } catch (IllegalArgumentException | ArithmeticException e) {
            if (budget.noise() != NoiseChoice.AUTO || split.mechanism() != Mechanism.DISCRETE_GAUSSIAN) {
                throw new IllegalArgumentException("its noise cannot be calibrated: " + e.getMessage(), e);
            }
        }
        BudgetSplit laplace = BudgetSplit.of(query, budget.withNoise(NoiseChoice.LAPLACE));
        check(query, budget, laplace, noises, random);
        return laplace;
    }

    private static void check(DpQuery query, QueryBudget budget, BudgetSplit split, Noises noises, RandomSource random) {
        Noise noise = noises.of(split.mechanism());
        for (DpAggregate aggregate : query.aggregates()) {
            new ValueNoiser(aggregate, budget.bounds(), split, noise, random, budget.confidence()).check();
        }
    }

    /** What the release spends, known before it runs: charge it first. */
    public BudgetSplit split() {
        return split;
    }

    /**
     * The noisy release.
     *
     * @param sqlSchema the schema of the DP query's SQL (the keys' types)
     * @param groups its rows, one per group of the data
     */
    public DpRelease release(StructType sqlSchema, List<GroupPartials> groups) {
        return release(sqlSchema, groups.iterator());
    }

    /**
     * The noisy release of groups read one at a time: only the released ones are kept (the public combinations,
     * or the groups partition selection lets through), so the data may have any number of groups.
     *
     * @throws TooManyGroups when more than {@code maxGroups} groups pass partition selection: a fact about the
     *                       noisy selection, not the data, drawn after the budget is spent
     */
    public DpRelease release(StructType sqlSchema, Iterator<GroupPartials> groups) {
        if (state != State.OPEN) {
            throw new IllegalStateException("this release was already drawn: a DP release spends its budget once");
        }
        state = State.RELEASED;
        List<DataType> keyTypes = query.groupKeys().stream().map(k -> sqlSchema.apply(k).dataType()).toList();
        List<GroupPartials> released = selected(groups, keyTypes);
        Noise noise = noises.of(split.mechanism()); // calibrated once: the constructor's check calibrated it
        List<ValueNoiser> noisers = query.aggregates().stream().map(a -> new ValueNoiser(a, budget.bounds(),
                split, noise, random, budget.confidence())).toList();
        List<Row> rows = new ArrayList<>();
        for (GroupPartials group : released) {
            List<Object> cells = new ArrayList<>(group.keys());
            for (int a = 0; a < noisers.size(); a++) {
                DpResult result = noisers.get(a).release(group.partials().get(a));
                boolean whole = isCount(query.aggregates().get(a));
                cells.add(whole ? (Object) (long) result.value() : result.value());
                cells.add(whole ? (Object) (long) result.interval().lower() : result.interval().lower());
                cells.add(whole ? (Object) (long) result.interval().upper() : result.interval().upper());
            }
            rows.add(RowFactory.create(cells.toArray()));
        }
        return new DpRelease(schema(keyTypes), rows, Map.of(DpRelease.METADATA_KEY, description()), split.charged());
    }

    private List<GroupPartials> selected(Iterator<GroupPartials> groups, List<DataType> keyTypes) {
        List<GroupPartials> out = new ArrayList<>();
        if (query.groupsArePublic()) {
            List<List<String>> domains = query.groupKeys().stream().map(k -> query.publicDomains().get(k)).toList();
            List<List<Object>> combinations = PublicGroups.combinations(domains, keyTypes, maxGroups);
            java.util.Set<List<Object>> released = new java.util.HashSet<>(combinations);
            Map<List<Object>, GroupPartials> byKey = new HashMap<>();
            groups.forEachRemaining(g -> {
                if (released.contains(g.keys())) {
                    byKey.put(g.keys(), g); // groups outside the public values are neither released nor kept
                }
            });
            for (List<Object> keys : combinations) {
                GroupPartials found = byKey.get(keys);
                out.add(found != null ? found : empty(keys));
            }
            return out; // the policy's order, known in advance
        }
        DiscreteLaplace real = DiscreteLaplace.forEpsilon(split.selectionEpsilon(), budget.bounds().maxGroupsPerUnit(),
                random);
        IntegerNoise selection = noises.of(Mechanism.DISCRETE_LAPLACE).calibrate(budget.bounds().maxGroupsPerUnit(), 1,
                split.selectionEpsilon(), 0);
        long threshold = threshold(real.scale());
        while (groups.hasNext()) {
            GroupPartials group = groups.next();
            if (selection.addNoise(group.units()) >= threshold) {
                out.add(group);
                if (out.size() > maxGroups) {
                    throw new TooManyGroups(maxGroups);
                }
            }
        }
        out.sort(KEY_ORDER);
        return out;
    }

    /**
     * More groups passed partition selection than a release may hold. The refusal is computed from the noisy
     * selection only (post-processing), so it is itself DP, and it comes after the release's budget was spent.
     */
    public static final class TooManyGroups extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyGroups(long maxGroups) {
            super("more than " + maxGroups + " groups passed partition selection", null, false, false);
        }
    }

    private long threshold(double scale) {
        return PartitionSelection.laplaceThreshold(scale, budget.bounds().maxGroupsPerUnit(), split.selectionDelta());
    }

    /** A public group the data does not have: every partial zero (an empty array for quantiles). */
    private GroupPartials empty(List<Object> keys) {
        List<List<Object>> partials = new ArrayList<>();
        for (DpAggregate aggregate : query.aggregates()) {
            List<Object> zeros = new ArrayList<>();
            for (int i = 0; i < aggregate.partialColumns().size(); i++) {
                zeros.add(aggregate.kind() == DpAggregate.Kind.QUANTILE ? List.of() : 0L);
            }
            partials.add(zeros);
        }
        return new GroupPartials(keys, partials, 0);
    }

    private StructType schema(List<DataType> keyTypes) {
        List<StructField> fields = new ArrayList<>();
        for (int k = 0; k < keyTypes.size(); k++) {
            fields.add(DataTypes.createStructField(query.groupKeys().get(k), keyTypes.get(k), true));
        }
        for (DpAggregate aggregate : query.aggregates()) {
            DataType type = isCount(aggregate) ? DataTypes.LongType : DataTypes.DoubleType;
            fields.add(DataTypes.createStructField(aggregate.outputName(), type, false));
            fields.add(DataTypes.createStructField(aggregate.outputName() + "_ci_low", type, false));
            fields.add(DataTypes.createStructField(aggregate.outputName() + "_ci_high", type, false));
        }
        return DataTypes.createStructType(fields);
    }

    /** The release's description: public parameters only, the same for every run of the query. */
    private String description() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1);
        root.put("epsilon", split.charged().epsilon());
        root.put("delta", split.charged().delta());
        root.put("confidence", budget.confidence());
        root.put("mechanism", split.mechanism().name());
        // how the parts add up to the query's (epsilon, delta): see BudgetSplit
        root.put("composition", split.mechanism() == Mechanism.DISCRETE_GAUSSIAN ? "zCDP" : "basic");
        root.put("rho", split.charged().rho());
        root.put("maxGroupsPerUnit", budget.bounds().maxGroupsPerUnit());
        root.put("maxRowsPerUnitPerGroup", budget.bounds().maxRowsPerUnitPerGroup());
        if (split.selects()) {
            double scale = DiscreteLaplace.forEpsilon(split.selectionEpsilon(), budget.bounds().maxGroupsPerUnit(),
                    random).scale();
            long threshold = threshold(scale);
            root.put("groups", "selected");
            root.put("selection", Map.of("mechanism", "DISCRETE_LAPLACE", "epsilon", split.selectionEpsilon().doubleValue(),
                    "delta", PartitionSelection.laplaceDelta(scale, budget.bounds().maxGroupsPerUnit(), threshold),
                    "threshold", threshold));
        } else {
            root.put("groups", "public");
        }
        List<Map<String, Object>> values = new ArrayList<>();
        for (DpAggregate aggregate : query.aggregates()) {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("name", aggregate.outputName());
            value.put("kind", aggregate.kind().name());
            value.put("mechanism", split.mechanism().name());
            value.put("epsilon", split.valueEpsilon().doubleValue());
            value.put("delta", split.statedDelta());
            value.put("rho", split.valueRho() > 0 ? split.valueRho()
                    : split.valueEpsilon().doubleValue() * split.valueEpsilon().doubleValue() / 2);
            value.put("confidence", budget.confidence());
            value.put("interval", aggregate.kind() == DpAggregate.Kind.QUANTILE ? "approximate" : "exact");
            value.put("low", aggregate.outputName() + "_ci_low");
            value.put("high", aggregate.outputName() + "_ci_high");
            values.add(value);
        }
        root.put("values", values);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the release description could not be written", e);
        }
    }

    private static boolean isCount(DpAggregate aggregate) {
        return aggregate.kind() == DpAggregate.Kind.COUNT || aggregate.kind() == DpAggregate.Kind.COUNT_DISTINCT_UNITS;
    }

    private static final Comparator<GroupPartials> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < a.keys().size(); i++) {
            int c = Comparator.nullsFirst(Comparator.<String>naturalOrder()).compare(text(a.keys().get(i)),
                    text(b.keys().get(i)));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    private static String text(Object value) {
        return value == null ? null : value.toString().toLowerCase(Locale.ROOT);
    }
}
