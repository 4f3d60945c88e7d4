package org.datasandbox.guard;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.tools.RelBuilder;
import org.datasandbox.guard.analyze.PlanAnalysis;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.check.CheckContext;
import org.datasandbox.guard.check.Checks;
import org.datasandbox.guard.dp.DpQuery;
import org.datasandbox.guard.dp.DpRewrite;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.SqlLocator;
import org.datasandbox.guard.explain.SqlPosition;
import org.datasandbox.guard.explain.Violation;
import org.datasandbox.guard.parse.SparkSqlParser;
import org.datasandbox.guard.rewrite.MinGroupSizeRewrite;
import org.datasandbox.guard.rewrite.ReleasedOrder;
import org.datasandbox.guard.unparse.SparkSqlUnparser;
import org.datasandbox.guard.validate.QueryPlanner;
import org.datasandbox.guard.validate.ScenarioSchema;
import org.datasandbox.guard.validate.ScenarioSchemaCache;
import org.datasandbox.guard.validate.SemiJoins;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard's entry point: parse, validate against the scenario, analyze the plan, apply every rule,
 * rewrite for the scenario's output mode and unparse to Spark SQL. Thread-safe; never throws for a bad
 * query, it returns a rejecting {@link Decision} instead.
 */
public final class QueryGuard {
    private static final Logger LOG = LoggerFactory.getLogger(QueryGuard.class);
    private final GuardCatalog catalog;
    private final ScenarioSchemaCache schemas = new ScenarioSchemaCache();
    private final RandomGenerator seeds;

    public QueryGuard(GuardCatalog catalog) {
        this(catalog, new SecureRandom());
    }

    /**
     * @param seeds the source of the secret seeds that choose, in DP mode, which rows and groups of a unit
     *              beyond its contribution bounds are dropped (a {@link SecureRandom} outside tests)
     */
    public QueryGuard(GuardCatalog catalog, RandomGenerator seeds) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.seeds = Objects.requireNonNull(seeds, "seeds");
    }

    public Decision check(String sql, Scenario scenario) {
        try {
            return decide(sql, scenario);
        } catch (GuardException e) {
            return Decision.reject(e.violation());
        } catch (Throwable e) {
            // Deny by default: a query the guard cannot fully analyze does not run, whatever failed
            // (Calcite throws AssertionError on some Spark syntax). The cause goes to the log under a
            // reference, never to the user: its message may quote the query.
            String reference = UUID.randomUUID().toString();
            LOG.warn("guard refused a query it could not analyze, reference {}", reference, e);
            return Decision.reject(Violation.of(RuleId.UNSUPPORTED_CONSTRUCT,
                    "the guard could not analyze this query (" + e.getClass().getSimpleName() + ", reference "
                            + reference + ")", SqlPosition.UNKNOWN));
        }
    }

    private Decision decide(String sql, Scenario scenario) {
        SqlNode parsed = SparkSqlParser.parseQuery(sql);
        ScenarioSchema schema = schemas.schema(catalog, scenario);
        QueryPlanner.Planned planned = new QueryPlanner().plan(parsed, schema);
        RelNode plan = planned.plan();
        PlanAnalysis analysis = new PlanAnalysis(plan, schema);
        Set<ColumnRef> output = outputColumns(plan, analysis);
        Set<ColumnRef> filters = filterColumns(plan, analysis);
        filters.removeAll(output);
        Set<String> tables = tablesRead(plan);

        CheckContext context = new CheckContext(analysis, catalog, scenario, new SqlLocator(planned.validated()));
        boolean dp = scenario.outputMode() == OutputMode.DP;
        List<Violation> violations = dp ? Checks.runDp(plan, context) : Checks.run(plan, context);
        if (!violations.isEmpty()) {
            return Decision.reject(violations, output, filters, tables);
        }
        if (dp) {
            DpQuery query = dpRewrite(plan, analysis, schema, scenario).query();
            return Decision.allowDp(query, List.of(RuleId.DP_NOISE), output, filters, tables);
        }
        if (scenario.outputMode() != OutputMode.THRESHOLD) {
            // Deny by default: a mode without its rewrite must not run under the threshold rewrite.
            return Decision.reject(List.of(Violation.of(RuleId.UNSUPPORTED_CONSTRUCT, "output mode "
                    + scenario.outputMode() + " is not available to queries yet", SqlPosition.UNKNOWN)),
                    output, filters, tables);
        }
        RelBuilder builder = builder(plan);
        RelNode rewritten = new MinGroupSizeRewrite(analysis, schema, builder, scenario.minGroupSize(),
                scenario.smallGroups()).rewrite(plan);
        List<RuleId> rewrites = rewritten == plan ? List.of() : List.of(RuleId.MIN_GROUP_SIZE);
        // the released values and rows' order may depend only on released values: each sort and each window is made
        // total over them, and rows that nothing orders are sorted by them
        String sparkSql = SparkSqlUnparser.unparse(SemiJoins.expand(ReleasedOrder.release(rewritten), builder));
        return Decision.allow(sparkSql, rewrites, output, filters, tables);
    }

    private DpRewrite.Result dpRewrite(RelNode plan, PlanAnalysis analysis, ScenarioSchema schema, Scenario scenario) {
        return new DpRewrite(analysis, schema, builder(plan), scenario.contributionBounds(), seeds).rewrite(plan);
    }

    /** The plans of an allowed query before and after the rewrite, and the Spark SQL: for golden tests. */
    public record Plans(String plan, String rewrittenPlan, String sparkSql) {
    }

    /** The plans of a query, or the reason it was refused. */
    public Plans explain(String sql, Scenario scenario) {
        Decision decision = check(sql, scenario);
        if (!decision.isAllowed()) {
            throw new GuardException(decision.firstViolation().orElseThrow());
        }
        ScenarioSchema schema = schemas.schema(catalog, scenario);
        RelNode plan = new QueryPlanner().plan(SparkSqlParser.parseQuery(sql), schema).plan();
        if (scenario.outputMode() == OutputMode.DP) {
            // a fresh rewrite: its secret seeds differ from the checked decision's, its shape does not
            DpRewrite.Result dp = dpRewrite(plan, new PlanAnalysis(plan, schema), schema, scenario);
            return new Plans(RelOptUtil.toString(plan), RelOptUtil.toString(dp.rewritten()), dp.query().sparkSql());
        }
        RelBuilder builder = builder(plan);
        RelNode rewritten = new MinGroupSizeRewrite(new PlanAnalysis(plan, schema), schema, builder,
                scenario.minGroupSize(), scenario.smallGroups()).rewrite(plan);
        rewritten = ReleasedOrder.release(rewritten);
        return new Plans(RelOptUtil.toString(plan), RelOptUtil.toString(rewritten), decision.rewrittenSql().orElseThrow());
    }

    /** A builder that writes expressions as given: the rewrite must not simplify what the checks judged. */
    private static RelBuilder builder(RelNode plan) {
        return RelBuilder.proto(plan.getCluster().getPlanner().getContext()).create(plan.getCluster(), null)
                .transform(c -> c.withSimplify(false));
    }

    private static Set<String> tablesRead(RelNode plan) {
        Set<String> tables = new TreeSet<>();
        new RelVisitor() {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent) {
                if (node instanceof org.apache.calcite.rel.core.TableScan scan) {
                    List<String> name = scan.getTable().getQualifiedName();
                    tables.add(name.get(name.size() - 1));
                }
                super.visit(node, ordinal, parent);
            }
        }.go(plan);
        return tables;
    }

    private static Set<ColumnRef> outputColumns(RelNode plan, PlanAnalysis analysis) {
        Set<ColumnRef> refs = new TreeSet<>();
        for (int i = 0; i < plan.getRowType().getFieldCount(); i++) {
            analysis.sources(plan, i).ifPresent(refs::addAll);
        }
        return refs;
    }

    /** Columns read by filters, join conditions and aggregate filters anywhere in the plan. */
    private static Set<ColumnRef> filterColumns(RelNode plan, PlanAnalysis analysis) {
        Set<ColumnRef> refs = new TreeSet<>();
        new RelVisitor() {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent) {
                if (node instanceof Filter filter) {
                    read(filter.getInput(), RelOptUtil.InputFinder.bits(filter.getCondition()));
                } else if (node instanceof Join join) {
                    read(join, RelOptUtil.InputFinder.bits(join.getCondition()));
                } else if (node instanceof Aggregate aggregate) {
                    for (AggregateCall call : aggregate.getAggCallList()) {
                        if (call.filterArg >= 0) {
                            analysis.sources(aggregate.getInput(), call.filterArg).ifPresent(refs::addAll);
                        }
                    }
                }
                super.visit(node, ordinal, parent);
            }

            private void read(RelNode node, org.apache.calcite.util.ImmutableBitSet fields) {
                for (int field : fields) {
                    analysis.sources(node, field).ifPresent(refs::addAll);
                }
            }
        }.go(plan);
        return refs;
    }
}
