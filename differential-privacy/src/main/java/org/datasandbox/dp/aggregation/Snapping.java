package org.datasandbox.dp.aggregation;

/**
 * Real values on an integer grid, so that the exact integer noise applies (Google's library snaps to a
 * power-of-two granularity for the same reason, after Mironov 2012): a value is clamped to its bounds and
 * rounded to a multiple of {@code granularity}, the power of two at or above {@code max|bound| / 2^20}.
 * One entry then moves the sum by at most {@link #maxUnits()} grid steps.
 */
record Snapping(double lower, double upper, double granularity, long maxUnits, double inverse) {
    private static final double STEPS = 1 << 20;

    static Snapping of(double lower, double upper) {
        org.datasandbox.dp.DpPreconditions.checkBounds(lower, upper);
        double maxAbs = Math.max(Math.abs(lower), Math.abs(upper));
        double granularity = maxAbs == 0 ? 1 : Math.pow(2, Math.ceil(Math.log(maxAbs / STEPS) / Math.log(2)));
        long maxUnits = Math.max(1, (long) Math.ceil(maxAbs / granularity));
        return new Snapping(lower, upper, granularity, maxUnits, 1 / granularity);
    }

    double clamp(double value) {
        return Math.max(lower, Math.min(upper, value));
    }

    /**
     * The clamped value in grid steps, {@code |units| <= maxUnits}: the granularity is a power of two, so
     * multiplying by its inverse is exact, and rint (an intrinsic) rounds to the nearest step.
     */
    long units(double value) {
        return (long) Math.rint(clamp(value) * inverse);
    }
}
