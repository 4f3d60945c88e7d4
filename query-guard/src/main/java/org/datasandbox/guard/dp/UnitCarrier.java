package org.datasandbox.guard.dp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexTableInputRef;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.RelBuilder;
import org.datasandbox.guard.analyze.Lineage;
import org.datasandbox.guard.analyze.PlanAnalysis;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.validate.ScenarioSchema;

/**
 * Threads each row's privacy unit up from the table scans to the aggregate, as one extra last field (no
 * existing field reference moves). A row is attributable when it comes from one table, or from a join whose
 * condition equates the privacy units of both sides: a person's visits joined to the person are that
 * person's rows. A semi- or anti-join keeps left rows only, and its right side must be matched on the unit
 * too, so that whether a row stays depends on its own unit's rows alone. Anything else (a join on another
 * key, a UNION, a sub-query result, literal rows, LIMIT) mixes units or reads other units' rows and is
 * refused.
 */
final class UnitCarrier {
    /** The rewritten input: its original fields then the unit; whether rows can repeat per unit. */
    record Carried(RelNode node, int unitField, boolean joined, boolean oneRowPerUnit) {
    }

    private static final String UNIT_FIELD = "__dp_unit";

    private final PlanAnalysis analysis;
    private final ScenarioSchema schema;
    private final RelBuilder builder;
    private final Lineage lineage;

    UnitCarrier(PlanAnalysis analysis, ScenarioSchema schema, RelBuilder builder) {
        this.analysis = analysis;
        this.schema = schema;
        this.builder = builder;
        this.lineage = new Lineage(analysis);
    }

    Carried carry(RelNode node) {
        int width = node.getRowType().getFieldCount();
        if (node instanceof TableScan scan) {
            List<String> qualified = scan.getTable().getQualifiedName();
            String name = qualified.get(qualified.size() - 1);
            GuardTable table = schema.table(name).orElseThrow(() -> DpRefusal.UNSUPPORTED_INPUT.exception("a table"));
            int unit = scan.getRowType().getFieldNames().stream().map(n -> n.toLowerCase(Locale.ROOT)).toList()
                    .indexOf(table.privacyUnit().name().toLowerCase(Locale.ROOT));
            if (unit < 0) {
                throw DpRefusal.UNIT_NOT_GRANTED.exception(name);
            }
            builder.push(scan);
            List<RexNode> fields = new ArrayList<>(builder.fields());
            fields.add(builder.field(unit));
            List<String> names = new ArrayList<>(scan.getRowType().getFieldNames());
            names.add(UNIT_FIELD);
            return new Carried(builder.project(fields, names, true).build(), width, false, table.oneRowPerUnit());
        }
        if (node instanceof Project project) {
            requireNoSubQuery(project.getProjects());
            Carried input = carry(project.getInput());
            List<RexNode> projects = new ArrayList<>(project.getProjects());
            projects.add(RexInputRef.of(input.unitField(), input.node().getRowType()));
            List<String> names = new ArrayList<>(project.getRowType().getFieldNames());
            names.add(UNIT_FIELD);
            RelNode copy = builder.push(input.node()).project(projects, names, true).build();
            return new Carried(copy, width, input.joined(), input.oneRowPerUnit());
        }
        if (node instanceof Filter filter) {
            requireNoSubQuery(List.of(filter.getCondition()));
            Carried input = carry(filter.getInput());
            return new Carried(filter.copy(filter.getTraitSet(), input.node(), filter.getCondition()), width,
                    input.joined(), input.oneRowPerUnit());
        }
        if (node instanceof Sort sort && sort.fetch == null && sort.offset == null) {
            Carried input = carry(sort.getInput());
            return new Carried(sort.copy(sort.getTraitSet(), List.of(input.node())), width, input.joined(),
                    input.oneRowPerUnit());
        }
        if (node instanceof Join join) {
            return carryThroughJoin(join);
        }
        String what = node instanceof Sort ? "LIMIT or OFFSET"
                : node.getRelTypeName().replace("Logical", "").toUpperCase(Locale.ROOT);
        throw DpRefusal.UNSUPPORTED_INPUT.exception(what);
    }

    private Carried carryThroughJoin(Join join) {
        requireNoSubQuery(List.of(join.getCondition()));
        JoinRelType type = join.getJoinType();
        int leftCount = join.getLeft().getRowType().getFieldCount();
        if (!equatesUnits(join, leftCount)) {
            throw DpRefusal.UNATTRIBUTABLE_JOIN.exception();
        }
        Carried left = carry(join.getLeft());
        Carried right = carry(join.getRight());
        int rightCount = join.getRight().getRowType().getFieldCount();
        // The left input grew by its unit field: shift references to right fields by one.
        RexNode condition = join.getCondition().accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return ref.getIndex() >= leftCount ? new RexInputRef(ref.getIndex() + 1, ref.getType()) : ref;
            }
        });
        RelNode copy = join.copy(join.getTraitSet(), condition, left.node(), right.node(), type,
                join.isSemiJoinDone());
        builder.push(copy);
        if (!type.projectsRight()) {
            // a semi- or anti-join keeps each left row at most once: it multiplies nothing
            return new Carried(copy, leftCount, left.joined(), left.oneRowPerUnit());
        }
        List<RexNode> fields = new ArrayList<>();
        List<String> names = new ArrayList<>(join.getRowType().getFieldNames());
        for (int i = 0; i < leftCount; i++) {
            fields.add(builder.field(i));
        }
        for (int i = 0; i < rightCount; i++) {
            fields.add(builder.field(leftCount + 1 + i));
        }
        RexNode leftUnit = builder.field(leftCount);
        RexNode rightUnit = builder.field(leftCount + 1 + rightCount);
        // Matched rows have equal units; the padded side of an outer join has a NULL unit.
        fields.add(switch (type) {
            case INNER, LEFT -> leftUnit;
            case RIGHT -> rightUnit;
            default -> builder.call(org.apache.calcite.sql.fun.SqlStdOperatorTable.COALESCE, leftUnit, rightUnit);
        });
        names.add(UNIT_FIELD);
        return new Carried(builder.project(fields, names, true).build(), leftCount + rightCount, true, false);
    }

    /** Whether a top-level conjunct of the condition is {@code left unit = right unit}. */
    private boolean equatesUnits(Join join, int leftCount) {
        for (RexNode conjunct : RelOptUtil.conjunctions(join.getCondition())) {
            if (conjunct.getKind() != SqlKind.EQUALS) {
                continue;
            }
            List<RexNode> operands = ((RexCall) conjunct).getOperands();
            if (operands.get(0) instanceof RexInputRef a && operands.get(1) instanceof RexInputRef b) {
                int l = Math.min(a.getIndex(), b.getIndex());
                int r = Math.max(a.getIndex(), b.getIndex());
                if (l < leftCount && r >= leftCount && isUnit(join.getLeft(), l)
                        && isUnit(join.getRight(), r - leftCount)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A field that is a privacy-unit column as it is (not computed from one). */
    private boolean isUnit(RelNode node, int field) {
        return lineage.expand(node, field)
                .filter(forms -> forms.size() == 1 && forms.get(0) instanceof RexTableInputRef)
                .map(forms -> analysis.column(PlanAnalysis.ref((RexTableInputRef) forms.get(0))).role()
                        == ColumnRole.PRIVACY_UNIT)
                .orElse(false);
    }

    private static void requireNoSubQuery(List<RexNode> expressions) {
        if (RexUtil.SubQueryFinder.find(expressions) != null) {
            throw DpRefusal.NESTED_AGGREGATE.exception();
        }
    }
}
