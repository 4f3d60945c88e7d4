package org.datasandbox.dp.aggregation;

/**
 * Where the true value lies with at least the stated confidence, computed from the noise distribution
 * and the released value only (post-processing: it spends nothing). {@code exact} is false where the
 * interval is an approximation (quantiles), true where it follows from the exact noise quantiles.
 */
public record ConfidenceInterval(double lower, double upper, double confidence, boolean exact) {
    public ConfidenceInterval {
        if (!(lower <= upper)) {
            throw new IllegalArgumentException("lower must be <= upper. Provided values: " + lower + ", " + upper);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1). Provided value: " + confidence);
        }
    }

    public boolean contains(double value) {
        return lower <= value && value <= upper;
    }
}
