package org.datasandbox.dp;

import java.math.BigDecimal;

/** Every parameter check of the module, with messages of one form. */
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

    public static long checkSensitivity(long sensitivity) {
        if (sensitivity < 1) {
            throw new IllegalArgumentException("sensitivity must be >= 1. Provided value: " + sensitivity);
        }
        return sensitivity;
    }

    public static long checkPositive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be > 0. Provided value: " + value);
        }
        return value;
    }
}
