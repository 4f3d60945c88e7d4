package org.datasandbox.guard.catalog;

/** Clamping bounds of a measure: every contribution is clamped into {@code [lower, upper]}. */
public record Bounds(double lower, double upper) {

    public Bounds {
        if (!Double.isFinite(lower) || !Double.isFinite(upper) || lower > upper) {
            throw new IllegalArgumentException("bounds need finite lower <= upper. Provided value: [" + lower + ", " + upper + "]");
        }
    }
}
