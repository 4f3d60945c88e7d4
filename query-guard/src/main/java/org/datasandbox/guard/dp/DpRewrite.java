package org.datasandbox.guard.dp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexTableInputRef;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;
import org.datasandbox.guard.analyze.Lineage;
import org.datasandbox.guard.analyze.PlanAnalysis;
import org.datasandbox.guard.catalog.Bounds;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.ContributionBounds;
import org.datasandbox.guard.unparse.SparkSqlUnparser;
import org.datasandbox.guard.validate.ScenarioSchema;
import org.datasandbox.guard.validate.SemiJoins;

/**
 * DP mode: rewrites a checked plan (one aggregate over rows, optionally renamed) into Spark SQL that returns,
 * per group, the group keys, the bounded partials of each released aggregate and the number of distinct units.
 * <ol>
 *   <li>each row carries its privacy unit ({@link UnitCarrier}); rows without one are dropped;</li>
 *   <li>each aggregated value is clamped into its bounds ({@link MeasureBounds});</li>
 *   <li>the rows of each unit and group are pre-aggregated into one row (a count, a sum, an array) capped at
 *       Linf rows' worth, and each unit keeps at most L0 of its groups, chosen by a secret keyed-hash order
 *       ({@link ContributionBounding});</li>
 *   <li>the per-unit rows are aggregated per group.</li>
 * </ol>
 * So one unit changes at most L0 groups, each by at most Linf rows of clamped values. When every table read
 * holds one row per unit and nothing joins, steps 3 to 5 are skipped: each unit is one row in one group
 * already, and the query enforces L0 = Linf = 1. The random orders come from seeds drawn per query from an
 * injected generator (a {@link java.security.SecureRandom} in production) as salts: the developer can neither predict
 * nor steer which groups are dropped. The choice for a unit depends on that unit's rows only (a keyed hash of
 * its unit and keys, not a row position), so adding or removing another unit changes none of its choices.
 */
public final class DpRewrite {
    /** The DP plan and the rewritten relational plan it was unparsed from (for explanations). */
    public record Result(DpQuery query, RelNode rewritten) {
    }

    private static final String UNITS = "__dp_units";
    private static final String RESERVED = "__dp";

    private final PlanAnalysis analysis;
    private final ScenarioSchema schema;
    private final RelBuilder builder;
    private final ContributionBounds bounds;
    private final RandomGenerator seeds;

    public DpRewrite(PlanAnalysis analysis, ScenarioSchema schema, RelBuilder builder, ContributionBounds bounds,
                     RandomGenerator seeds) {
        this.analysis = analysis;
        this.schema = schema;
        this.builder = builder;
        this.bounds = bounds;
        this.seeds = seeds;
    }

    /** What one released aggregate reads from each row and how it is combined. */
    private record Spec(String name, DpAggregate.Kind kind, double quantile, Bounds bounds, RexNode value) {
    }

    public Result rewrite(RelNode plan) {
        Aggregate aggregate = releasedAggregate(plan);
        if (aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
            throw DpRefusal.UNSUPPORTED_INPUT.exception("GROUPING SETS");
        }
        List<String> outputNames = plan.getRowType().getFieldNames();
        List<Integer> outputFields = outputFields(plan);
        int groupCount = aggregate.getGroupCount();
        List<Integer> groupSet = aggregate.getGroupSet().asList();
        List<String> keyNames = new ArrayList<>();
        List<Integer> keyFields = new ArrayList<>();
        List<Integer> callIndexes = new ArrayList<>();
        List<String> callNames = new ArrayList<>();
        for (int i = 0; i < outputFields.size(); i++) {
            int field = outputFields.get(i);
            if (field < groupCount) {
                if (keyFields.contains(groupSet.get(field))) {
                    throw DpRefusal.DUPLICATE_OUTPUT.exception(outputNames.get(i));
                }
                keyNames.add(outputNames.get(i));
                keyFields.add(groupSet.get(field));
            } else {
                callIndexes.add(field - groupCount);
                callNames.add(outputNames.get(i));
            }
        }
        for (int g = 0; g < groupCount; g++) {
            if (!outputFields.contains(g)) {
                throw DpRefusal.GROUP_KEY_NOT_RELEASED.exception(aggregate.getRowType().getFieldNames().get(g));
            }
        }
        if (callIndexes.isEmpty()) {
            throw DpRefusal.NO_AGGREGATE.exception();
        }

        UnitCarrier.Carried carried = new UnitCarrier(analysis, schema, builder).carry(aggregate.getInput());
        boolean clampOnly = carried.oneRowPerUnit() && !carried.joined();
        builder.push(carried.node());
        builder.filter(builder.isNotNull(builder.field(carried.unitField())));
        List<Spec> specs = new ArrayList<>();
        MeasureBounds measures = new MeasureBounds(analysis);
        for (int i = 0; i < callIndexes.size(); i++) {
            AggregateCall call = aggregate.getAggCallList().get(callIndexes.get(i));
            specs.add(spec(call, callNames.get(i), aggregate.getInput(), carried, measures));
        }

        // Row level: the group keys, the unit, each aggregate's clamped value.
        List<RexNode> rowFields = new ArrayList<>();
        List<String> rowNames = new ArrayList<>();
        for (int k = 0; k < keyFields.size(); k++) {
            rowFields.add(builder.field(keyFields.get(k)));
            rowNames.add(UnitRows.KEY_PREFIX + k);
        }
        int unit = rowFields.size();
        rowFields.add(builder.field(carried.unitField()));
        rowNames.add(UnitRows.UNIT);
        for (int i = 0; i < specs.size(); i++) {
            rowFields.add(specs.get(i).value());
            rowNames.add(UnitRows.VALUE_PREFIX + i);
        }
        int keys = keyFields.size();
        builder.project(rowFields, rowNames, true);
        RelNode unitRows = builder.peek();

        List<RelBuilder.AggCall> calls = new ArrayList<>();
        long salt = 0;
        if (clampOnly) {
            for (int i = 0; i < specs.size(); i++) {
                RexNode value = builder.field(unit + 1 + i);
                switch (specs.get(i).kind()) {
                    case COUNT, COUNT_DISTINCT_UNITS -> calls.add(builder.count(false, null, value));
                    case SUM -> calls.add(builder.sum(value));
                    case MEAN -> {
                        calls.add(builder.sum(value));
                        calls.add(builder.count(false, null, value));
                    }
                    case QUANTILE -> calls.add(builder.aggregateCall(DpSparkFunctions.COLLECT_LIST, value));
                }
            }
        } else {
            salt = new ContributionBounding(builder, bounds, seeds).bound(keys, specs.stream().map(Spec::kind).toList());
            int partial = keys + 1;
            for (Spec spec : specs) {
                switch (spec.kind()) {
                    case COUNT, SUM -> calls.add(builder.sum(builder.field(partial++)));
                    case COUNT_DISTINCT_UNITS -> calls.add(builder.count(false, null, builder.field(partial++)));
                    case MEAN -> {
                        calls.add(builder.sum(builder.field(partial++)));
                        calls.add(builder.sum(builder.field(partial++)));
                    }
                    case QUANTILE -> calls.add(builder.aggregateCall(DpSparkFunctions.COLLECT_LIST,
                            builder.field(partial++)));
                }
            }
        }
        calls.add(builder.countStar(UNITS));
        builder.aggregate(builder.groupKey(ImmutableBitSet.range(keys)), calls);
        DpQuery query = release(keyNames, specs, clampOnly, aggregate, keyFields);
        List<DpAggregate.Kind> kinds = specs.stream().map(Spec::kind).toList();
        if (!clampOnly && !kinds.contains(DpAggregate.Kind.QUANTILE)) {
            // the same rows the SQL path bounds, for a streaming pass over a layout clustered by the unit
            RelNode top = builder.build();
            String rowsSql = SparkSqlUnparser.unparse(SemiJoins.expand(unitRows, builder));
            builder.push(top);
            query = query.withUnitRows(new UnitRows(rowsSql, keys, kinds, bounds.maxGroupsPerUnit(),
                    bounds.maxRowsPerUnitPerGroup(), salt));
        }
        // the cache key is the plan before the rewrite: the SQL carries this query's secret salts
        return new Result(query.withNormalizedQuery(RelOptUtil.toString(plan)), builder.peek());
    }

    /** The final projection: names, sums that are never NULL, flattened arrays; and the DP query around it. */
    private DpQuery release(List<String> keyNames, List<Spec> specs, boolean clampOnly, Aggregate aggregate,
                            List<Integer> keyFields) {
        int keys = keyNames.size();
        List<RexNode> fields = new ArrayList<>();
        List<String> names = new ArrayList<>(keyNames);
        for (int k = 0; k < keys; k++) {
            fields.add(builder.field(k));
        }
        List<DpAggregate> aggregates = new ArrayList<>();
        int partial = keys;
        for (Spec spec : specs) {
            List<String> columns = new ArrayList<>();
            switch (spec.kind()) {
                case COUNT, COUNT_DISTINCT_UNITS -> {
                    fields.add(nonNull(builder.field(partial++), 0));
                    columns.add(spec.name());
                }
                case SUM -> {
                    fields.add(nonNull(builder.field(partial++), 0));
                    columns.add(spec.name());
                }
                case MEAN -> {
                    fields.add(nonNull(builder.field(partial++), 0));
                    fields.add(nonNull(builder.field(partial++), 0));
                    columns.add(spec.name() + "__sum");
                    columns.add(spec.name() + "__count");
                }
                case QUANTILE -> {
                    RexNode values = builder.field(partial++);
                    fields.add(clampOnly ? values : builder.call(DpSparkFunctions.FLATTEN, values));
                    columns.add(spec.name());
                }
            }
            names.addAll(columns);
            aggregates.add(new DpAggregate(spec.name(), spec.kind(), spec.quantile(), spec.bounds().lower(),
                    spec.bounds().upper(), columns));
        }
        fields.add(builder.field(partial));
        names.add(UNITS);
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            boolean reserved = !name.equals(UNITS) && name.toLowerCase(Locale.ROOT).startsWith(RESERVED);
            if (!seen.add(name.toLowerCase(Locale.ROOT)) || reserved) {
                throw DpRefusal.DUPLICATE_OUTPUT.exception(name);
            }
        }
        builder.project(fields, names, true);
        RelNode rewritten = builder.build();
        builder.push(rewritten);
        String sql = SparkSqlUnparser.unparse(SemiJoins.expand(rewritten, builder));
        ContributionBounds enforced = clampOnly ? new ContributionBounds(1, 1) : bounds;
        return new DpQuery(sql, keyNames, aggregates, UNITS, enforced, publicDomains(aggregate, keyNames, keyFields));
    }

    private RexNode nonNull(RexNode value, int zero) {
        if (!value.getType().isNullable()) {
            return value;
        }
        return builder.call(SqlStdOperatorTable.COALESCE, value,
                builder.getRexBuilder().makeExactLiteral(java.math.BigDecimal.valueOf(zero), value.getType()));
    }

    /** Group keys that are a column as it is, with a public domain in the policy. */
    private Map<String, List<String>> publicDomains(Aggregate aggregate, List<String> keyNames, List<Integer> keyFields) {
        Map<String, List<String>> domains = new LinkedHashMap<>();
        Lineage lineage = new Lineage(analysis);
        for (int k = 0; k < keyNames.size(); k++) {
            Optional<List<RexNode>> forms = lineage.expand(aggregate.getInput(), keyFields.get(k));
            if (forms.isPresent() && forms.get().size() == 1 && forms.get().get(0) instanceof RexTableInputRef ref) {
                List<String> values = analysis.column(PlanAnalysis.ref(ref)).publicValues();
                if (!values.isEmpty()) {
                    domains.put(keyNames.get(k), values);
                }
            }
        }
        return domains;
    }

    /** What a call releases, and its row-level value over the carried input (on the builder's stack). */
    private Spec spec(AggregateCall call, String name, RelNode input, UnitCarrier.Carried carried,
                      MeasureBounds measures) {
        SqlKind kind = call.getAggregation().getKind();
        List<Integer> args = call.getArgList();
        RexNode condition = call.filterArg >= 0
                ? builder.call(SqlStdOperatorTable.IS_TRUE, builder.field(call.filterArg)) : null;
        if (call.isDistinct()) {
            if (kind != SqlKind.COUNT || args.size() != 1 || !isUnit(input, args.get(0))) {
                throw DpRefusal.DISTINCT_NOT_UNIT.exception();
            }
            return new Spec(name, DpAggregate.Kind.COUNT_DISTINCT_UNITS, Double.NaN, new Bounds(0, 1),
                    indicator(List.of(args.get(0)), condition));
        }
        switch (kind) {
            case COUNT -> {
                return new Spec(name, DpAggregate.Kind.COUNT, Double.NaN, new Bounds(0, 1), indicator(args, condition));
            }
            case SUM, SUM0, AVG, MIN, MAX -> {
                if (args.size() != 1) {
                    break;
                }
                Bounds interval = measures.of(input, args.get(0), name);
                RexNode value = clamp(builder.field(args.get(0)), interval);
                if (condition != null) {
                    value = builder.call(SqlStdOperatorTable.CASE, condition, value,
                            builder.getRexBuilder().makeNullLiteral(value.getType()));
                }
                DpAggregate.Kind released = switch (kind) {
                    case AVG -> DpAggregate.Kind.MEAN;
                    case MIN, MAX -> DpAggregate.Kind.QUANTILE;
                    default -> DpAggregate.Kind.SUM;
                };
                double rank = kind == SqlKind.MIN ? 0 : kind == SqlKind.MAX ? 1 : Double.NaN;
                return new Spec(name, released, rank, interval, value);
            }
            case PERCENTILE_CONT, PERCENTILE_DISC -> {
                // PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY x): the rank is the argument, the value the ordering
                Optional<Double> rank = args.size() == 1 ? literal(input, args.get(0)) : Optional.empty();
                if (rank.isEmpty() || rank.get() < 0 || rank.get() > 1
                        || call.getCollation().getFieldCollations().size() != 1) {
                    break;
                }
                int field = call.getCollation().getFieldCollations().get(0).getFieldIndex();
                Bounds interval = measures.of(input, field, name);
                RexNode value = clamp(builder.field(field), interval);
                if (condition != null) {
                    value = builder.call(SqlStdOperatorTable.CASE, condition, value,
                            builder.getRexBuilder().makeNullLiteral(value.getType()));
                }
                return new Spec(name, DpAggregate.Kind.QUANTILE, rank.get(), interval, value);
            }
            default -> {
            }
        }
        throw DpRefusal.AGGREGATE_FUNCTION.exception(call.getAggregation().getName());
    }

    /** The numeric literal a field of the input always holds, if it is one. */
    private Optional<Double> literal(RelNode input, int field) {
        return new Lineage(analysis).expand(input, field)
                .filter(forms -> forms.size() == 1 && forms.get(0) instanceof org.apache.calcite.rex.RexLiteral)
                .map(forms -> (org.apache.calcite.rex.RexLiteral) forms.get(0))
                .filter(l -> !l.isNull() && org.apache.calcite.sql.type.SqlTypeFamily.NUMERIC.contains(l.getType()))
                .map(l -> l.getValueAs(java.math.BigDecimal.class).doubleValue());
    }

    /** 1 on rows the call counts (its arguments non-NULL and its FILTER true), NULL elsewhere. */
    private RexNode indicator(List<Integer> args, RexNode condition) {
        List<RexNode> conjuncts = new ArrayList<>();
        for (int arg : args) {
            RexNode field = builder.field(arg);
            if (field.getType().isNullable()) {
                conjuncts.add(builder.isNotNull(field));
            }
        }
        if (condition != null) {
            conjuncts.add(condition);
        }
        RexNode one = builder.literal(1);
        if (conjuncts.isEmpty()) {
            return one;
        }
        return builder.call(SqlStdOperatorTable.CASE, builder.and(conjuncts), one,
                builder.getRexBuilder().makeNullLiteral(one.getType()));
    }

    /**
     * The value as a DOUBLE inside {@code [lower, upper]}; NULL stays NULL (Spark's GREATEST would drop it): both
     * comparisons are unknown on NULL, so it falls through to itself without a test of its own (one CASE branch
     * less per row on the clamping-only path, whose target is 1.10x the exact query).
     */
    private RexNode clamp(RexNode value, Bounds interval) {
        RexBuilder rex = builder.getRexBuilder();
        RelDataType type = rex.getTypeFactory().createTypeWithNullability(
                rex.getTypeFactory().createSqlType(SqlTypeName.DOUBLE), true);
        RexNode x = value.getType().getSqlTypeName() == SqlTypeName.DOUBLE ? value : rex.makeCast(type, value, true, false);
        RexNode lower = rex.makeApproxLiteral(java.math.BigDecimal.valueOf(interval.lower()), type);
        RexNode upper = rex.makeApproxLiteral(java.math.BigDecimal.valueOf(interval.upper()), type);
        return builder.call(SqlStdOperatorTable.CASE,
                builder.lessThan(x, lower), lower,
                builder.greaterThan(x, upper), upper,
                x);
    }

    private boolean isUnit(RelNode input, int field) {
        return new Lineage(analysis).expand(input, field)
                .filter(forms -> forms.size() == 1 && forms.get(0) instanceof RexTableInputRef)
                .map(forms -> analysis.column(PlanAnalysis.ref((RexTableInputRef) forms.get(0))).role()
                        == ColumnRole.PRIVACY_UNIT)
                .orElse(false);
    }

    /** The aggregate whose groups are released: the plan itself, or under a projection that only renames. */
    private static Aggregate releasedAggregate(RelNode plan) {
        RelNode node = plan;
        if (node instanceof Project project) {
            for (RexNode expression : project.getProjects()) {
                if (!(expression instanceof RexInputRef)) {
                    throw DpRefusal.ABOVE_AGGREGATE.exception(expression instanceof org.apache.calcite.rex.RexOver
                            ? "a window function" : "an expression");
                }
            }
            node = project.getInput();
        }
        if (node instanceof Aggregate aggregate) {
            if (containsAggregate(aggregate.getInput())) {
                throw DpRefusal.NESTED_AGGREGATE.exception();
            }
            return aggregate;
        }
        if (node instanceof Filter) {
            throw DpRefusal.ABOVE_AGGREGATE.exception("HAVING or a filter");
        }
        if (node instanceof Sort) {
            throw DpRefusal.ABOVE_AGGREGATE.exception("ORDER BY, LIMIT or OFFSET");
        }
        if (containsAggregate(node)) {
            throw DpRefusal.ABOVE_AGGREGATE.exception(node.getRelTypeName().replace("Logical", "").toUpperCase(Locale.ROOT));
        }
        throw DpRefusal.NO_AGGREGATE.exception();
    }

    private static boolean containsAggregate(RelNode node) {
        if (node instanceof Aggregate) {
            return true;
        }
        for (RelNode input : node.getInputs()) {
            if (containsAggregate(input)) {
                return true;
            }
        }
        return false;
    }

    /** For each output column, the aggregate's field it shows. */
    private static List<Integer> outputFields(RelNode plan) {
        List<Integer> fields = new ArrayList<>();
        if (plan instanceof Project project) {
            for (RexNode expression : project.getProjects()) {
                // the same aggregate twice (Calcite computes it once) is released twice, as written
                fields.add(((RexInputRef) expression).getIndex());
            }
        } else {
            for (int i = 0; i < plan.getRowType().getFieldCount(); i++) {
                fields.add(i);
            }
        }
        return fields;
    }
}
