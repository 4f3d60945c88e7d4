package org.datasandbox.guard.analyze;

import java.util.Optional;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rex.RexNode;

/**
 * Where a field of a node is computed: the expression of the projection that defines it, found through
 * filters and sorts, which pass fields on unchanged. Aggregate arguments are looked up this way, so that
 * the checks and the rewrite see the same CASE expressions.
 */
public final class Definitions {
    private Definitions() {
    }

    /** The defining projection of a field and its expression there. */
    public record Definition(Project project, RexNode expression) {
    }

    public static Optional<Definition> of(RelNode node, int field) {
        RelNode current = node;
        while (current instanceof Filter || current instanceof Sort) {
            current = current.getInput(0);
        }
        if (current instanceof Project project) {
            return Optional.of(new Definition(project, project.getProjects().get(field)));
        }
        return Optional.empty();
    }
}
