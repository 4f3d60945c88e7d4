package org.datasandbox.guard.check;

import java.util.List;
import java.util.function.Consumer;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexVisitorImpl;

/** The walk the checks of scalar functions share: every call in a node's projections, filter or join condition. */
final class ScalarCalls {
    private ScalarCalls() {
    }

    /** Visits every call, nested ones included, of a project's expressions, a filter's or a join's condition. */
    static void forEach(RelNode node, Consumer<RexCall> visitor) {
        List<RexNode> expressions;
        if (node instanceof Project project) {
            expressions = project.getProjects();
        } else if (node instanceof Filter filter) {
            expressions = List.of(filter.getCondition());
        } else if (node instanceof Join join) {
            expressions = List.of(join.getCondition());
        } else {
            return;
        }
        for (RexNode expression : expressions) {
            expression.accept(new RexVisitorImpl<Void>(true) {
                @Override
                public Void visitCall(RexCall call) {
                    visitor.accept(call);
                    return super.visitCall(call);
                }
            });
        }
    }
}
