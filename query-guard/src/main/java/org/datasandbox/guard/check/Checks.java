package org.datasandbox.guard.check;

import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.datasandbox.guard.explain.Violation;

/** Every rule of the guard, in the order they are applied; the first violation found is the one reported. */
public final class Checks {
    private static final List<PlanCheck> ALL = List.of(
            new SupportedConstructCheck(),
            new FunctionAllowListCheck(),
            new DataDependentFailureCheck(),
            new StringLiteralCheck(),
            new WindowOverRowsCheck(),
            new GroupingSetsCheck(),
            new RowLevelOutputCheck(),
            new TraceableConditionCheck(),
            new IdentifierFilterCheck(),
            new AggregateFunctionCheck(),
            new AggregateArgumentCheck(),
            new GroupKeyCheck(),
            new BucketFilterCheck(),
            new JoinKeyCheck(),
            new RowLimitCheck(),
            new SubtotalsCheck());

    private Checks() {
    }

    /** Applies every check to every node of the plan. */
    public static List<Violation> run(RelNode root, CheckContext context) {
        for (PlanCheck check : ALL) {
            new RelVisitor() {
                @Override
                public void visit(RelNode node, int ordinal, RelNode parent) {
                    check.check(node, context);
                    super.visit(node, ordinal, parent);
                }
            }.go(root);
        }
        return context.violations();
    }
}
