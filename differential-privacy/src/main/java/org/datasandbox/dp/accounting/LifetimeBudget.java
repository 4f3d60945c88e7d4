package org.datasandbox.dp.accounting;

import org.datasandbox.dp.DpPreconditions;

/** The lifetime cap of a scenario's table, set in the scenario: every release together stays within it. */
public record LifetimeBudget(double epsilon, double delta) {
    public LifetimeBudget {
        DpPreconditions.checkEpsilon(epsilon);
        DpPreconditions.checkDelta(delta);
    }
}
