package org.datasandbox.guard.validate;

import java.util.List;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexExecutor;
import org.apache.calcite.rex.RexNode;

/**
 * A {@link RexExecutor} that reduces nothing. Calcite's default one compiles constant expressions to
 * Java on every call; the guard never needs their values, only the plan's shape and lineage.
 */
public final class NoReduction implements RexExecutor {
    public static final NoReduction INSTANCE = new NoReduction();

    private NoReduction() {
    }

    @Override
    public void reduce(RexBuilder rexBuilder, List<RexNode> constExps, List<RexNode> reducedValues) {
        reducedValues.addAll(constExps);
    }
}
