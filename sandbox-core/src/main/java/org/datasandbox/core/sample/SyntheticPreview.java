package org.datasandbox.core.sample;

import java.util.Objects;
import org.datasandbox.sample.synthetic.UtilityEstimate;

/**
 * A synthetic sample before it is made: what it would cost and be worth, computed from the policy, the table's
 * registered size and the scenario's budget only. Asking for it spends nothing and reads no row.
 *
 * @param epsilon the fit's planned epsilon (charged once per scenario and model when the sample is taken)
 * @param delta the fit's planned delta (0 when every category column declares its values)
 * @param modelFitted whether a model of this policy version exists (taking the sample then fits nothing)
 * @param affordable whether every budget account the fit is charged to can pay it now
 * @param estimateBeforeFit the expected distribution error per granted column and the warnings
 */
public record SyntheticPreview(String scenario, String table, int policyVersion, double epsilon, double delta, boolean modelFitted,
                               boolean affordable, UtilityEstimate estimateBeforeFit) {

    public SyntheticPreview {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(estimateBeforeFit, "estimateBeforeFit");
    }
}
