package org.datasandbox.core.policy;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * How development samples of a table are made.
 *
 * @param kAnonymity masked samples drop rows whose masked quasi-identifiers are shared by fewer rows
 *     (0: off)
 * @param epsilon the DP budget of the table's synthetic-sample model, spent once per policy version
 * @param stratifyBy masked samples keep the same share of every value of this column ("" for none)
 */
public record SamplePolicy(int kAnonymity, BigDecimal epsilon, String stratifyBy) {
    public static final SamplePolicy DEFAULT = new SamplePolicy(0, BigDecimal.ONE, "");

    public SamplePolicy {
        Objects.requireNonNull(epsilon, "epsilon");
        Objects.requireNonNull(stratifyBy, "stratifyBy");
    }
}
