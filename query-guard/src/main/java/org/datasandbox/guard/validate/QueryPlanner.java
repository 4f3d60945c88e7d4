package org.datasandbox.guard.validate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexUtil.SubQueryFinder;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.runtime.CalciteException;
import org.datasandbox.guard.GuardException;
import org.datasandbox.guard.parse.SparkConformance;
import org.datasandbox.guard.explain.RuleId;
import org.datasandbox.guard.explain.SqlPosition;

/** Validates a parsed query against a scenario schema and converts it into a decorrelated relational plan. */
public final class QueryPlanner {
    private static final SqlOperatorTable FUNCTIONS = SqlOperatorTables.chain(
            SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(SqlLibrary.STANDARD, SqlLibrary.SPARK),
            SparkOperators.TABLE);
    private static final Pattern UNKNOWN_FUNCTION =
            Pattern.compile("No match found for function signature ([A-Za-z_][A-Za-z0-9_]*)\\(");
    private static final Pattern NOT_FOUND = Pattern.compile(
            "(Object|Column|Table) '([^']*)' not found|Column '([^']*)' not found in any table|"
                    + "Column '([^']*)' not found in table '([^']*)'|Table '([^']*)' not found|"
                    + "The definition of column '([^']*)' depends on itself");

    // Configurations are immutable: built once rather than at every query.
    private static final SqlValidator.Config VALIDATOR = SqlValidator.Config.DEFAULT
            .withConformance(SparkConformance.INSTANCE)
            .withIdentifierExpansion(true);
    private static final SqlToRelConverter.Config CONVERTER = SqlToRelConverter.config()
            .withTrimUnusedFields(true).withExpand(false)
            .withRelBuilderConfigTransform(c -> c.withSimplify(false));

    private final boolean alwaysTrim;

    public QueryPlanner() {
        this(false);
    }

    /** @param alwaysTrim trim every plan, even one {@link TrimNeed} finds nothing to trim in: for tests */
    QueryPlanner(boolean alwaysTrim) {
        this.alwaysTrim = alwaysTrim;
    }

    /** The validated query and its plan. */
    public record Planned(SqlNode validated, RelNode plan, RelOptCluster cluster) {
    }

    public Planned plan(SqlNode parsed, ScenarioSchema schema) {
        JavaTypeFactory typeFactory = schema.typeFactory();
        CalciteCatalogReader catalogReader = schema.catalogReader();
        // Functions come from Spark's library only. The scenario schema declares none (user-defined
        // functions are refused), and searching it at every call took 3% of a join's guard time.
        SqlValidator validator = SqlValidatorUtil.newValidator(FUNCTIONS, catalogReader, typeFactory, VALIDATOR);
        SqlNode validated = validate(validator, InListsInAggregates.expand(parsed));
        if (SparkSemiJoinSyntax.present(validated)) {
            // Spark's LEFT SEMI / ANTI JOIN, which the converter cannot convert, as the [NOT] EXISTS it means,
            // validated afresh (a validator's scopes belong to the tree it validated)
            validator = SqlValidatorUtil.newValidator(FUNCTIONS, catalogReader, typeFactory, VALIDATOR);
            validated = validate(validator, SparkSemiJoinSyntax.toExists(validated));
        }

        HepPlanner planner = new HepPlanner(new HepProgramBuilder().build());
        // No constant folding: Calcite's default executor compiles every constant expression with Janino,
        // which costs milliseconds per query and changes nothing the guard decides.
        planner.setExecutor(NoReduction.INSTANCE);
        RelOptCluster cluster = RelOptCluster.create(planner, schema.rexBuilder());
        SqlToRelConverter converter = new SqlToRelConverter(
                (rowType, queryString, schemaPath, viewPath) -> {
                    throw new GuardException(RuleId.UNSUPPORTED_CONSTRUCT, "views are not supported", SqlPosition.UNKNOWN);
                },
                validator, catalogReader, cluster, StandardConvertletTable.INSTANCE, CONVERTER);
        RelRoot root = converter.convertQuery(validated, false, true);
        RelNode rel = root.project();
        boolean readsTables = has(rel, node -> node instanceof TableScan);
        // Each pass runs only when the plan has something for it: most queries have no sub-query or join.
        if (has(rel, QueryPlanner::hasSubQuery)) {
            rel = removeSubQueries(rel);
            rel = RelDecorrelator.decorrelateQuery(rel, relBuilder(cluster, catalogReader));
        }
        if (alwaysTrim || TrimNeed.mayTrim(rel)) {
            rel = converter.trimUnusedFields(true, rel);
        }
        if (has(rel, node -> node instanceof Join join && (join.getCondition().isAlwaysTrue()
                || join.getRight() instanceof Aggregate || join.getRight() instanceof Project p
                        && p.getInput() instanceof Aggregate))) {
            rel = normalizeJoins(rel);
        }
        if (has(rel, node -> node instanceof Join)) {
            rel = SemiJoins.rewrite(rel, relBuilder(cluster, catalogReader));
        }
        if (readsTables && !has(rel, node -> node instanceof TableScan)) {
            // Decorrelation simplified filters that can never hold into constant rows: an empty VALUES of
            // NULL-typed columns, or an aggregate over no rows turned into one row. Either is another answer
            // (and other types) than the query's, which reads no row: refused, never released as it is.
            throw new GuardException(RuleId.UNSUPPORTED_CONSTRUCT,
                    "the query's conditions can never hold, so it reads no row of any table", SqlPosition.UNKNOWN);
        }
        return new Planned(validated, rel, cluster);
    }

    private static SqlNode validate(SqlValidator validator, SqlNode query) {
        try {
            return validator.validate(query);
        } catch (CalciteContextException e) {
            throw translate(e);
        } catch (CalciteException e) {
            throw new GuardException(RuleId.INVALID_QUERY, shortMessage(e.getMessage()), SqlPosition.UNKNOWN);
        }
    }

    /** The plan exactly as the converter gives it, before sub-query removal and trimming: for tests. */
    RelNode convertOnly(SqlNode parsed, ScenarioSchema schema) {
        SqlValidator validator = SqlValidatorUtil.newValidator(FUNCTIONS, schema.catalogReader(), schema.typeFactory(),
                VALIDATOR);
        SqlNode validated = validator.validate(parsed);
        HepPlanner planner = new HepPlanner(new HepProgramBuilder().build());
        planner.setExecutor(NoReduction.INSTANCE);
        RelOptCluster cluster = RelOptCluster.create(planner, schema.rexBuilder());
        SqlToRelConverter converter = new SqlToRelConverter(null, validator, schema.catalogReader(), cluster,
                StandardConvertletTable.INSTANCE, CONVERTER);
        return converter.convertQuery(validated, false, true).project();
    }

    /** A builder that writes expressions as given; made only for the passes that need one. */
    private static RelBuilder relBuilder(RelOptCluster cluster, CalciteCatalogReader catalogReader) {
        return RelBuilder.proto(cluster.getPlanner().getContext()).create(cluster, catalogReader)
                .transform(c -> c.withSimplify(false));
    }

    private static boolean hasSubQuery(RelNode node) {
        return node instanceof Project project && SubQueryFinder.containsSubQuery(project)
                || node instanceof Filter filter && SubQueryFinder.containsSubQuery(filter)
                || node instanceof Join join && SubQueryFinder.containsSubQuery(join);
    }

    private static boolean has(RelNode rel, java.util.function.Predicate<RelNode> test) {
        if (test.test(rel)) {
            return true;
        }
        for (RelNode input : rel.getInputs()) {
            if (has(input, test)) {
                return true;
            }
        }
        return false;
    }

    /** Turns IN, EXISTS and scalar sub-queries into joins and aggregates that the checks can see. */
    private static RelNode removeSubQueries(RelNode rel) {
        HepProgramBuilder program = new HepProgramBuilder()
                .addRuleInstance(CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE)
                .addRuleInstance(CoreRules.FILTER_SUB_QUERY_TO_CORRELATE)
                .addRuleInstance(CoreRules.JOIN_SUB_QUERY_TO_CORRELATE);
        HepPlanner planner = new HepPlanner(program.build());
        planner.setRoot(rel);
        return planner.findBestExp();
    }

    /**
     * Moves WHERE equalities of comma joins into join conditions and turns IN / EXISTS joins against
     * distinct keys into semi-joins, so that join checks see the keys people actually join on. Runs only
     * for plans with a cross join or a join against an aggregate.
     */
    private static RelNode normalizeJoins(RelNode rel) {
        HepProgramBuilder program = new HepProgramBuilder()
                .addRuleInstance(CoreRules.FILTER_INTO_JOIN)
                .addRuleInstance(CoreRules.PROJECT_TO_SEMI_JOIN)
                .addRuleInstance(CoreRules.AGGREGATE_TO_SEMI_JOIN)
                .addRuleInstance(CoreRules.JOIN_TO_SEMI_JOIN);
        HepPlanner planner = new HepPlanner(program.build());
        planner.setRoot(rel);
        return planner.findBestExp();
    }

    private static GuardException translate(CalciteContextException e) {
        SqlPosition position = e.getPosLine() > 0 ? new SqlPosition(e.getPosLine(), e.getPosColumn()) : SqlPosition.UNKNOWN;
        String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
        Matcher function = UNKNOWN_FUNCTION.matcher(message);
        if (function.find()) {
            return new GuardException(RuleId.FUNCTION_NOT_ALLOWED, "function " + function.group(1).toLowerCase(java.util.Locale.ROOT)
                    + " is not allowed", position);
        }
        Matcher notFound = NOT_FOUND.matcher(message);
        if (notFound.find()) {
            String name = firstNonNull(notFound.group(2), notFound.group(3), notFound.group(4), notFound.group(6),
                    notFound.group(7));
            return new GuardException(RuleId.NOT_FOUND, "'" + name + "' is not a table or column of this scenario", position);
        }
        return new GuardException(RuleId.INVALID_QUERY, shortMessage(message), position);
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return "?";
    }

    private static String shortMessage(String message) {
        String line = message == null ? "invalid query" : message.lines().findFirst().orElse(message);
        line = line.replaceFirst("^From line \\d+, column \\d+ to line \\d+, column \\d+: ", "");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
