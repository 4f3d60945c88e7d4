package org.datasandbox.dp.aggregation;

import java.util.Objects;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.dp.noise.Mechanism;

/** One released value with what the release carries: its mechanism, what it spent and its interval. */
public record DpResult(double value, Mechanism mechanism, PrivacyLoss loss, ConfidenceInterval interval) {
    public DpResult {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(interval, "interval");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite");
        }
    }
}
