package org.datasandbox.core.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.RelBuilder;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.parse.SparkSqlParser;
import org.datasandbox.guard.unparse.SparkSqlUnparser;
import org.datasandbox.guard.validate.QueryPlanner;
import org.datasandbox.guard.validate.ScenarioSchema;

/**
 * Traces the cells of a query to their privacy units, on the guard's Calcite plan of the query as submitted: for a
 * query whose output is one aggregation of one table (any filters and projections below it; sorting, renaming and
 * HAVING above it), the Spark SQL of the same aggregation grouped by its keys and the unit, with each unit's row
 * count and, per summed or counted measure, its contribution. Other shapes (joins, unions, nested aggregations) are
 * not traced: the report says so and the reviewer decides without cell figures.
 */
final class CellTracer {
    /** The contribution query of a traced query. */
    record Traced(String sparkSql, String unitTable, int groupKeys, List<Integer> keyOutputColumns,
                  List<Measure> measures) {
        Traced {
            keyOutputColumns = List.copyOf(keyOutputColumns);
            measures = List.copyOf(measures);
        }
    }

    /**
     * A measure of the contribution query: its column after the keys, the unit and the row count.
     *
     * @param name the output column that releases it, or {@code aggregate i} when no column does directly
     * @param sum a sum (dominance applies) or a count of non-null values
     */
    record Measure(String name, boolean sum) {
    }

    /** Why a query was not traced. */
    static final class NotTraced extends Exception {
        private static final long serialVersionUID = 1L;

        NotTraced(String reason) {
            super(reason, null, false, false);
        }
    }

    private final GuardCatalog catalog;

    CellTracer(GuardCatalog catalog) {
        this.catalog = catalog;
    }

    Traced trace(String sql, Scenario scenario) throws NotTraced {
        ScenarioSchema schema = ScenarioSchema.of(catalog, scenario);
        RelNode plan = new QueryPlanner().plan(SparkSqlParser.parseQuery(sql), schema).plan();
        List<String> outputNames = plan.getRowType().getFieldNames();
        // output column -> field of the node below, composed down to the aggregate (-1: computed)
        int[] mapping = new int[outputNames.size()];
        for (int i = 0; i < mapping.length; i++) {
            mapping[i] = i;
        }
        RelNode node = plan;
        while (!(node instanceof Aggregate)) {
            if (node instanceof Sort sort && sort.fetch == null && sort.offset == null) {
                node = sort.getInput();
            } else if (node instanceof Filter filter) {
                node = filter.getInput();
            } else if (node instanceof Project project) {
                for (int i = 0; i < mapping.length; i++) {
                    mapping[i] = mapping[i] < 0 ? -1 : project.getProjects().get(mapping[i]) instanceof RexInputRef ref
                            ? ref.getIndex() : -1;
                }
                node = project.getInput();
            } else {
                throw new NotTraced("the output is not one aggregation of one table");
            }
        }
        Aggregate aggregate = (Aggregate) node;
        if (aggregate.getGroupSets().size() != 1) {
            throw new NotTraced("grouping sets are not traced");
        }
        int groupCount = aggregate.getGroupCount();
        List<Integer> keyColumns = new ArrayList<>();
        for (int key = 0; key < groupCount; key++) {
            int column = -1;
            for (int i = 0; i < mapping.length; i++) {
                if (mapping[i] == key) {
                    column = i;
                    break;
                }
            }
            if (column < 0) {
                throw new NotTraced("a group key is not released as a column, so cells cannot be told apart");
            }
            keyColumns.add(column);
        }
        RelBuilder builder = RelBuilder.proto(plan.getCluster().getPlanner().getContext()).create(plan.getCluster(), null)
                .transform(c -> c.withSimplify(false));
        Carried input = carry(aggregate.getInput(), builder, schema);
        builder.push(input.node());
        List<RexNode> keys = new ArrayList<>();
        for (int key : aggregate.getGroupSet()) {
            keys.add(builder.field(key));
        }
        keys.add(builder.alias(builder.field(input.unit()), "review_unit"));
        List<RelBuilder.AggCall> calls = new ArrayList<>();
        calls.add(builder.countStar("review_rows"));
        List<Measure> measures = new ArrayList<>();
        List<AggregateCall> aggCalls = aggregate.getAggCallList();
        for (int i = 0; i < aggCalls.size(); i++) {
            AggregateCall call = aggCalls.get(i);
            if (call.isDistinct() || call.getArgList().size() != 1) {
                continue;
            }
            SqlKind kind = call.getAggregation().getKind();
            String name = releasedName(mapping, outputNames, groupCount + i);
            RexNode argument = builder.field(call.getArgList().get(0));
            if (kind == SqlKind.SUM || kind == SqlKind.SUM0 || kind == SqlKind.AVG) {
                calls.add(builder.sum(false, "review_m" + measures.size(), argument));
                measures.add(new Measure(name, true));
            } else if (kind == SqlKind.COUNT) {
                calls.add(builder.count(false, "review_m" + measures.size(), argument));
                measures.add(new Measure(name, false));
            }
        }
        RelNode contributions = builder.aggregate(builder.groupKey(keys), calls).build();
        return new Traced(SparkSqlUnparser.unparse(contributions), input.table(), groupCount, keyColumns, measures);
    }

    private static String releasedName(int[] mapping, List<String> outputNames, int field) {
        for (int i = 0; i < mapping.length; i++) {
            if (mapping[i] == field) {
                return outputNames.get(i);
            }
        }
        return "aggregate " + (field + 1);
    }

    /** A node below the aggregation with the unit of its one table carried to its last field or found in place. */
    private record Carried(RelNode node, int unit, String table) {
    }

    private Carried carry(RelNode node, RelBuilder builder, ScenarioSchema schema) throws NotTraced {
        if (node instanceof TableScan scan) {
            List<String> name = scan.getTable().getQualifiedName();
            String tableName = name.get(name.size() - 1);
            Optional<GuardTable> table = schema.table(tableName);
            if (table.isEmpty()) {
                throw new NotTraced("the table is not traced");
            }
            int unit = scan.getRowType().getFieldNames().indexOf(table.get().privacyUnit().name());
            if (unit < 0) {
                throw new NotTraced("the table's privacy unit is not readable in this scenario");
            }
            return new Carried(scan, unit, table.get().name());
        }
        if (node instanceof Filter filter) {
            Carried below = carry(filter.getInput(), builder, schema);
            return new Carried(filter.copy(filter.getTraitSet(), below.node(), filter.getCondition()), below.unit(),
                    below.table());
        }
        if (node instanceof Project project) {
            Carried below = carry(project.getInput(), builder, schema);
            List<RexNode> projects = new ArrayList<>(project.getProjects());
            projects.add(RexInputRef.of(below.unit(), below.node().getRowType()));
            List<String> names = new ArrayList<>(project.getRowType().getFieldNames());
            names.add("review_unit_in");
            RelNode projected = builder.push(below.node()).project(projects, names, true).build();
            return new Carried(projected, projects.size() - 1, below.table());
        }
        throw new NotTraced("the output is not one aggregation of one table");
    }
}
