package org.datasandbox.sample.synthetic;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What fitting one synthetic model cost, as (epsilon, delta)-differential privacy under basic sequential
 * composition of its steps, with one row per privacy unit: what a budget store charges for the fit. Delta
 * comes only from partition selection (categories released because their noisy count cleared a
 * threshold); every other step is pure epsilon.
 *
 * @param steps every mechanism that looked at the originals, in the order it ran
 */
public record PrivacyCost(BigDecimal epsilon, double delta, List<Step> steps) implements Serializable {

    /**
     * One mechanism of the fit.
     *
     * @param name what it released, naming at most columns of the schema, never a value
     */
    public record Step(String name, BigDecimal epsilon, double delta) implements Serializable {
        public Step {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(epsilon, "epsilon");
            if (epsilon.signum() < 0 || !(delta >= 0 && delta < 1)) {
                throw new IllegalArgumentException("a step spends epsilon >= 0 and delta in [0, 1)");
            }
        }
    }

    public PrivacyCost {
        steps = List.copyOf(steps);
        BigDecimal sum = steps.stream().map(Step::epsilon).reduce(BigDecimal.ZERO, BigDecimal::add);
        double deltas = steps.stream().mapToDouble(Step::delta).sum();
        if (sum.compareTo(Objects.requireNonNull(epsilon, "epsilon")) != 0 || Math.abs(deltas - delta) > 1e-15) {
            throw new IllegalArgumentException("the cost must be the sum of its steps");
        }
    }

    static PrivacyCost of(List<Step> steps) {
        return new PrivacyCost(steps.stream().map(Step::epsilon).reduce(BigDecimal.ZERO, BigDecimal::add),
                steps.stream().mapToDouble(Step::delta).sum(), steps);
    }

    /** The epsilon of the steps whose name starts with {@code prefix}. */
    public BigDecimal epsilonOf(String prefix) {
        return steps.stream().filter(s -> s.name().startsWith(prefix)).map(Step::epsilon).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
