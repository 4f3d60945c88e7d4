package org.datasandbox.dp;

import java.math.BigDecimal;

/** Every parameter check of the module, with messages of one form: "x must be ... Provided value: ...". */
public final class DpPreconditions {
    private DpPreconditions() {
    }

    public static BigDecimal checkEpsilon(BigDecimal epsilon) {
        if (epsilon == null || epsilon.signum() <= 0) {
            throw new IllegalArgumentException("epsilon must be > 0. Provided value: " + epsilon);
        }
        if (epsilon.compareTo(BigDecimal.valueOf(50)) > 0) {
            throw new IllegalArgumentException("epsilon must be <= 50. Provided value: " + epsilon);
        }
        return epsilon;
    }

    public static double checkEpsilon(double epsilon) {
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0. Provided value: " + epsilon);
        }
        if (epsilon > 50) {
            throw new IllegalArgumentException("epsilon must be <= 50. Provided value: " + epsilon);
        }
        return epsilon;
    }

    /** Delta of a mechanism: strictly between 0 and 1. */
    public static double checkDelta(double delta) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1). Provided value: " + delta);
        }
        return delta;
    }

    /** The miss probability of a confidence interval. */
    public static double checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1). Provided value: " + alpha);
        }
        return alpha;
    }

    public static long checkSensitivity(long sensitivity) {
        if (sensitivity < 1) {
            throw new IllegalArgumentException("sensitivity must be >= 1. Provided value: " + sensitivity);
        }
        return sensitivity;
    }

    public static double checkSensitivity(double sensitivity) {
        if (!(sensitivity > 0) || Double.isInfinite(sensitivity)) {
            throw new IllegalArgumentException("sensitivity must be > 0. Provided value: " + sensitivity);
        }
        return sensitivity;
    }

    public static long checkPositive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be > 0. Provided value: " + value);
        }
        return value;
    }

    public static double checkPositive(double value, String name) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be > 0. Provided value: " + value);
        }
        return value;
    }

    /** Clamping bounds: finite, lower <= upper. */
    public static void checkBounds(double lower, double upper) {
        if (!Double.isFinite(lower) || !Double.isFinite(upper)) {
            throw new IllegalArgumentException("bounds must be finite. Provided values: " + lower + ", " + upper);
        }
        if (lower > upper) {
            throw new IllegalArgumentException("lower must be <= upper. Provided values: " + lower + ", " + upper);
        }
    }

    public static <T> T checkSet(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be set");
        }
        return value;
    }
}
