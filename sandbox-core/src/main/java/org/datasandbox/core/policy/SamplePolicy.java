package org.datasandbox.core.policy;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * How development samples of a table are made.
 *
 * @param kAnonymity every combination of attacker-known values in a masked sample is shared by at least
 *     this many people (generalized, then suppressed); 5 by default
 * @param lDiversity and holds at least this many distinct values of each sensitive attribute served; 2 by
 *     default
 * @param epsilon the DP budget of the table's synthetic-sample model, spent once per policy version
 * @param stratifyBy masked samples keep the same share of every value of this column ("" for none)
 */
public record SamplePolicy(int kAnonymity, int lDiversity, BigDecimal epsilon, String stratifyBy) {
    public static final SamplePolicy DEFAULT = new SamplePolicy(5, 2, BigDecimal.ONE, "");

    public SamplePolicy {
        Objects.requireNonNull(epsilon, "epsilon");
        Objects.requireNonNull(stratifyBy, "stratifyBy");
        if (kAnonymity < 2 || lDiversity < 1 || lDiversity > kAnonymity) {
            throw new IllegalArgumentException("k must be at least 2 and l between 1 and k. Provided values: "
                    + kAnonymity + ", " + lDiversity);
        }
    }
}
