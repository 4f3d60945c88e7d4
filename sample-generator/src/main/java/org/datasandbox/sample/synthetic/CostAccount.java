package org.datasandbox.sample.synthetic;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.datasandbox.dp.budget.PrivacyBudget;

/** Records each step of one fit as it spends, and refuses to go beyond the spec's epsilon or delta. */
final class CostAccount {
    private final PrivacyBudget budget;
    private final double maxDelta;
    private final List<PrivacyCost.Step> steps = new ArrayList<>();
    private double delta;

    CostAccount(SyntheticSpec spec) {
        this.budget = PrivacyBudget.of(spec.epsilon());
        this.maxDelta = spec.delta();
    }

    BigDecimal spend(String step, BigDecimal epsilon) {
        return spend(step, epsilon, 0);
    }

    BigDecimal spend(String step, BigDecimal epsilon, double stepDelta) {
        if (delta + stepDelta > maxDelta * (1 + 1e-12)) {
            throw new IllegalStateException("the delta of the fit is spent: " + step + " asks for more");
        }
        budget.spend(epsilon);
        delta += stepDelta;
        steps.add(new PrivacyCost.Step(step, epsilon, stepDelta));
        return epsilon;
    }

    PrivacyCost cost() {
        return PrivacyCost.of(steps);
    }
}
