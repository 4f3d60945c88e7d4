package org.datasandbox.guard.rewrite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.Strong;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.util.ImmutableBitSet;
import org.datasandbox.guard.analyze.Definitions;

/**
 * The cells of conditional aggregates: subsets of a group that an aggregate describes on its own. A
 * {@code FILTER (WHERE c)} has two, c and its complement; {@code CASE WHEN c1 ... WHEN c2 ... ELSE ...}
 * has one per branch plus the else. The conditions of CASE branches are added as boolean fields to the
 * projection that computes the CASE, so that the aggregate can count each cell's privacy units.
 */
final class Cells {
    /** The input with cell fields added, and each aggregate call's cell conditions over that input. */
    record Result(RelNode input, Map<Integer, List<RexNode>> conditions) {
    }

    private Cells() {
    }

    static Result of(RelNode input, List<AggregateCall> calls, RexBuilder rex) {
        Map<Project, List<RexNode>> added = new IdentityHashMap<>();
        Map<Integer, List<Integer>> caseFields = new HashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            for (int arg : calls.get(i).getArgList()) {
                Optional<Definitions.Definition> definition = Definitions.of(input, arg);
                if (definition.isEmpty()) {
                    continue;
                }
                Project project = definition.get().project();
                for (RexCall caseCall : cases(definition.get().expression())) {
                    List<RexNode> extra = added.computeIfAbsent(project, p -> new ArrayList<>());
                    for (RexNode branch : branchConditions(caseCall, rex)) {
                        caseFields.computeIfAbsent(i, c -> new ArrayList<>())
                                .add(project.getRowType().getFieldCount() + extra.size());
                        extra.add(branch);
                    }
                }
            }
        }
        RelNode rebuilt = added.isEmpty() ? input : replace(input, added);
        Map<Integer, List<RexNode>> conditions = new HashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            AggregateCall call = calls.get(i);
            List<RexNode> cells = new ArrayList<>();
            RexNode filter = call.filterArg >= 0 ? RexInputRef.of(call.filterArg, rebuilt.getRowType()) : null;
            for (int field : caseFields.getOrDefault(i, List.of())) {
                RexNode branch = RexInputRef.of(field, rebuilt.getRowType());
                cells.add(filter == null ? branch : rex.makeCall(SqlStdOperatorTable.AND, filter, branch));
            }
            if (filter != null) {
                cells.add(filter);
                cells.add(rex.makeCall(SqlStdOperatorTable.NOT, rex.makeCall(SqlStdOperatorTable.IS_TRUE, filter)));
            }
            if (!cells.isEmpty()) {
                conditions.put(i, cells);
            }
        }
        return new Result(rebuilt, conditions);
    }

    /** The CASE calls of an expression, outermost first. */
    private static List<RexCall> cases(RexNode expression) {
        List<RexCall> found = new ArrayList<>();
        expression.accept(new RexVisitorImpl<Void>(true) {
            @Override
            public Void visitCall(RexCall call) {
                if (call.getKind() == SqlKind.CASE) {
                    found.add(call);
                }
                return super.visitCall(call);
            }
        });
        return found;
    }

    /** Branch i is taken when its condition is true and no earlier one was; the else when none was. */
    private static List<RexNode> branchConditions(RexCall caseCall, RexBuilder rex) {
        List<RexNode> operands = caseCall.getOperands();
        List<RexNode> branches = new ArrayList<>();
        List<RexNode> notEarlier = new ArrayList<>();
        for (int i = 0; i + 1 < operands.size(); i += 2) {
            RexNode taken = rex.makeCall(SqlStdOperatorTable.IS_TRUE, operands.get(i));
            List<RexNode> conjuncts = new ArrayList<>(notEarlier);
            conjuncts.add(taken);
            branches.add(and(conjuncts, rex));
            notEarlier.add(rex.makeCall(SqlStdOperatorTable.NOT, taken));
        }
        branches.add(and(notEarlier, rex));
        return branches;
    }

    private static RexNode and(List<RexNode> conjuncts, RexBuilder rex) {
        return conjuncts.size() == 1 ? conjuncts.get(0) : rex.makeCall(SqlStdOperatorTable.AND, conjuncts);
    }

    /** Rebuilds the path down to each defining projection, with its extra fields appended. */
    private static RelNode replace(RelNode node, Map<Project, List<RexNode>> added) {
        if (node instanceof Project project && added.containsKey(project)) {
            List<RexNode> projects = new ArrayList<>(project.getProjects());
            projects.addAll(added.get(project));
            List<String> names = new ArrayList<>(project.getRowType().getFieldNames());
            for (int i = 0; i < added.get(project).size(); i++) {
                names.add("__cell_" + i);
            }
            return project.copy(project.getTraitSet(), project.getInput(), projects,
                    org.apache.calcite.rex.RexUtil.createStructType(project.getCluster().getTypeFactory(), projects, names, null));
        }
        if (node.getInputs().size() != 1) {
            return node;
        }
        RelNode input = replace(node.getInput(0), added);
        return input == node.getInput(0) ? node : node.copy(node.getTraitSet(), List.of(input));
    }

    /** A projection above thresholded cells, and which of its fields are NULL when the cells are suppressed. */
    record Propagated(Project project, ImmutableBitSet suppressible) {
    }

    /**
     * A value computed from a suppressed cell is itself NULL. A suppressed cell is a NULL inside the
     * expression above it, and an expression that does not pass NULL on ({@code CASE WHEN cell > 9 THEN 1
     * ELSE 0 END}, {@code COALESCE}, {@code IS NULL}) would release a value as if the cell were known. Every
     * expression reading a suppressible field is wrapped in {@code CASE WHEN field IS NULL THEN NULL ELSE e
     * END}, unless Calcite proves it NULL already when those fields are ({@link Strong}). A released cell is
     * never NULL (its backing counts only rows where its argument is non-NULL), so the wrap changes nothing
     * but suppressed rows.
     */
    static Propagated propagate(Project project, RelNode input, ImmutableBitSet suppressible, RexBuilder rex) {
        List<RexNode> projects = new ArrayList<>();
        ImmutableBitSet.Builder out = ImmutableBitSet.builder();
        boolean changed = false;
        for (int i = 0; i < project.getProjects().size(); i++) {
            RexNode expression = project.getProjects().get(i);
            if (RelOptUtil.InputFinder.bits(expression).intersects(suppressible)) {
                out.set(i);
            }
            RexNode wrapped = nullWhenSuppressed(expression, fieldTypes(input), suppressible, rex);
            if (wrapped != expression) {
                expression = wrapped.getType().equals(expression.getType()) ? wrapped
                        : rex.makeCall(expression.getType(), KeepType.INSTANCE, List.of(wrapped));
                changed = true;
            }
            projects.add(expression);
        }
        Project result = !changed && project.getInput() == input ? project
                : project.copy(project.getTraitSet(), input, projects, project.getRowType());
        return new Propagated(result, out.build());
    }

    /**
     * The same rule for a condition above thresholded cells (a {@code HAVING}, a filter or join condition over
     * aggregated rows): a condition computed from a suppressed cell is NULL, so the row is dropped, never kept
     * as if the cell were known ({@code HAVING CASE WHEN cell > 9 THEN 1 ELSE 0 END = 0} kept every suppressed
     * row). The condition as it is when it already passes NULL on.
     */
    static RexNode propagateCondition(RexNode condition, List<RelNode> inputs, ImmutableBitSet suppressible, RexBuilder rex) {
        List<RelDataType> types = new ArrayList<>();
        inputs.forEach(input -> types.addAll(fieldTypes(input)));
        return nullWhenSuppressed(condition, types, suppressible, rex);
    }

    private static List<RelDataType> fieldTypes(RelNode input) {
        return input.getRowType().getFieldList().stream().map(org.apache.calcite.rel.type.RelDataTypeField::getType).toList();
    }

    /** {@code CASE WHEN any read suppressible field IS NULL THEN NULL ELSE e END}, or e when Strong proves it. */
    private static RexNode nullWhenSuppressed(RexNode expression, List<RelDataType> fields, ImmutableBitSet suppressible,
                                              RexBuilder rex) {
        ImmutableBitSet read = RelOptUtil.InputFinder.bits(expression).intersect(suppressible);
        if (read.isEmpty() || Strong.isNull(expression, read)) {
            return expression;
        }
        List<RexNode> anyNull = new ArrayList<>();
        for (int field : read) {
            anyNull.add(rex.makeCall(SqlStdOperatorTable.IS_NULL, new RexInputRef(field, fields.get(field))));
        }
        RexNode condition = anyNull.size() == 1 ? anyNull.get(0) : rex.makeCall(SqlStdOperatorTable.OR, anyNull);
        RelDataType type = rex.getTypeFactory().createTypeWithNullability(expression.getType(), true);
        return rex.makeCall(SqlStdOperatorTable.CASE, condition, rex.makeNullLiteral(type), expression);
    }
}
