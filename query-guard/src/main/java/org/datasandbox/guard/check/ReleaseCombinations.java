package org.datasandbox.guard.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.SqlKind;
import org.datasandbox.guard.analyze.Granularity;
import org.datasandbox.guard.analyze.PlanAnalysis;

/**
 * Where the values of two related releases meet. A release is an aggregate over individual rows (each
 * thresholded on its own by the rewrite); two releases are related when they read overlapping rows of one
 * table (a total and its groups, two marginals). Every field of the plan above them carries the releases its
 * value is computed from. Two related releases may stand side by side (two columns of a join, two branches
 * of a UNION ALL) and one may be divided by the other (a share), after which the share may only be
 * transformed on its own (scaled, rounded, cast): each released value is then a function of one release or of
 * one ratio of two, all of them backed by k units. Everything else that combines them is found here: a
 * difference or a sum (the total minus its released groups is the suppressed ones), a comparison (in a
 * filter, a join or a CASE), an aggregate or a window over rows of both, or a release computed over rows cut
 * by a related one.
 */
final class ReleaseCombinations {
    private final PlanAnalysis analysis;
    private final BiPredicate<Aggregate, Aggregate> related;
    private final Map<RelNode, List<Set<Aggregate>>> fields = new IdentityHashMap<>();
    private RelNode found;

    ReleaseCombinations(PlanAnalysis analysis, BiPredicate<Aggregate, Aggregate> related) {
        this.analysis = analysis;
        this.related = related;
    }

    /** The first node (bottom-up) that combines two related releases other than side by side or as a share. */
    Optional<RelNode> find(RelNode root) {
        fieldsOf(root);
        return Optional.ofNullable(found);
    }

    /** Whether the aggregate is a release: grouped rows computed from individual rows. */
    static boolean isRelease(RelNode node, PlanAnalysis analysis) {
        return node instanceof Aggregate aggregate && analysis.granularity(aggregate) == Granularity.GROUPS
                && analysis.granularity(aggregate.getInput()) == Granularity.ROWS;
    }

    private List<Set<Aggregate>> fieldsOf(RelNode node) {
        List<Set<Aggregate>> known = fields.get(node);
        if (known != null) {
            return known;
        }
        List<List<Set<Aggregate>>> inputs = new ArrayList<>();
        for (RelNode input : node.getInputs()) {
            inputs.add(fieldsOf(input));
        }
        List<Set<Aggregate>> result = compute(node, inputs);
        fields.put(node, result);
        return result;
    }

    private List<Set<Aggregate>> compute(RelNode node, List<List<Set<Aggregate>>> inputs) {
        int width = node.getRowType().getFieldCount();
        if (isRelease(node, analysis)) {
            Aggregate aggregate = (Aggregate) node;
            Set<Aggregate> below = new HashSet<>(all(inputs.get(0)));
            releasesBelow(aggregate.getInput(), below);
            if (below.stream().anyMatch(other -> related.test(aggregate, other))) {
                flag(node); // a release over rows cut or valued by a related release
            }
            below.add(aggregate);
            List<Set<Aggregate>> out = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                out.add(i < aggregate.getGroupCount() ? Set.of() : Set.copyOf(below));
            }
            return out;
        }
        if (node instanceof Project project) {
            List<Set<Aggregate>> out = new ArrayList<>();
            for (RexNode expression : project.getProjects()) {
                out.add(expression(node, expression, inputs.get(0)));
            }
            return out;
        }
        if (node instanceof Filter filter) {
            expression(node, filter.getCondition(), inputs.get(0));
            return inputs.get(0);
        }
        List<Set<Aggregate>> concatenated = new ArrayList<>();
        inputs.forEach(concatenated::addAll);
        if (node instanceof Join join) {
            expression(node, join.getCondition(), concatenated);
        }
        if (node instanceof Aggregate aggregate) {
            // over released rows: an aggregate call other than the single value of a scalar sub-query
            // combines the values of several rows
            Set<Aggregate> in = all(inputs.get(0));
            boolean combines = aggregate.getAggCallList().stream()
                    .map(AggregateCall::getAggregation).anyMatch(f -> f.getKind() != SqlKind.SINGLE_VALUE);
            if (combines && mixes(in)) {
                flag(node);
            }
            return copies(width, in);
        }
        if (node instanceof SetOp && !inputs.isEmpty()) {
            List<Set<Aggregate>> out = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                Set<Aggregate> field = new HashSet<>();
                for (List<Set<Aggregate>> input : inputs) {
                    field.addAll(input.get(i));
                }
                out.add(Set.copyOf(field));
            }
            return out;
        }
        if (concatenated.size() == width) {
            return concatenated; // a join, a sort, anything that passes its inputs' fields on
        }
        Set<Aggregate> any = all(concatenated);
        if (mixes(any)) {
            flag(node); // a node the analysis does not know that reads both
        }
        return copies(width, any);
    }

    /** The releases an expression's value is computed from; flags a combination that is not a share. */
    private Set<Aggregate> expression(RelNode node, RexNode expression, List<Set<Aggregate>> input) {
        if (expression instanceof RexInputRef ref) {
            return input.get(ref.getIndex());
        }
        if (expression instanceof RexLiteral) {
            return Set.of();
        }
        if (expression instanceof RexOver over) {
            Set<Aggregate> read = all(input, over); // a window combines the values of several rows
            if (mixes(read)) {
                flag(node);
            }
            return read;
        }
        if (expression instanceof RexCall call) {
            List<Set<Aggregate>> operands = new ArrayList<>();
            for (RexNode operand : call.getOperands()) {
                operands.add(expression(node, operand, input));
            }
            Set<Aggregate> union = new HashSet<>();
            operands.forEach(union::addAll);
            if (mixes(union)) {
                long carrying = operands.stream().filter(o -> !o.isEmpty()).count();
                boolean share = call.getKind() == SqlKind.DIVIDE && operands.size() == 2
                        && !mixes(operands.get(0)) && !mixes(operands.get(1));
                if (carrying > 1 && !share) {
                    flag(node);
                }
            }
            return Set.copyOf(union);
        }
        Set<Aggregate> read = all(input, expression);
        if (mixes(read)) {
            flag(node);
        }
        return read;
    }

    private boolean mixes(Set<Aggregate> releases) {
        if (releases.size() < 2) {
            return false;
        }
        List<Aggregate> list = new ArrayList<>(releases);
        for (int i = 0; i < list.size(); i++) {
            for (int j = i + 1; j < list.size(); j++) {
                if (related.test(list.get(i), list.get(j))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void flag(RelNode node) {
        if (found == null) {
            found = node;
        }
    }

    private void releasesBelow(RelNode node, Set<Aggregate> into) {
        for (RelNode input : node.getInputs()) {
            if (isRelease(input, analysis)) {
                into.add((Aggregate) input);
            }
            releasesBelow(input, into);
        }
    }

    private static Set<Aggregate> all(List<Set<Aggregate>> fields) {
        Set<Aggregate> all = new HashSet<>();
        fields.forEach(all::addAll);
        return all;
    }

    private static Set<Aggregate> all(List<Set<Aggregate>> fields, RexNode expression) {
        Set<Aggregate> all = new HashSet<>();
        expression.accept(new RexVisitorImpl<Void>(true) {
            @Override
            public Void visitInputRef(RexInputRef ref) {
                all.addAll(fields.get(ref.getIndex()));
                return null;
            }
        });
        return all;
    }

    private static List<Set<Aggregate>> copies(int width, Set<Aggregate> value) {
        Set<Aggregate> copy = Set.copyOf(value);
        List<Set<Aggregate>> out = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            out.add(copy);
        }
        return out;
    }
}
