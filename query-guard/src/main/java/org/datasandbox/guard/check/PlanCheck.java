package org.datasandbox.guard.check;

import org.apache.calcite.rel.RelNode;

/** One rule, applied to every node of a plan. */
interface PlanCheck {

    void check(RelNode node, CheckContext context);
}
