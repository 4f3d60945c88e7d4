package org.datasandbox.dp.accounting;

/**
 * What one release spends, stated twice, since both statements hold at once and composition uses the
 * better of the two: the release is {@code (epsilon, delta)}-DP, and it is {@code zcdpDelta}-approximate
 * {@code rho}-zCDP (Bun and Steinke 2016, Definition 8.1: rho-zCDP except on an event of probability at
 * most zcdpDelta).
 *
 * <p>Pure epsilon-DP gives {@code rho = epsilon^2 / 2} (Bun and Steinke, Proposition 1.4); the Gaussian
 * gives {@code rho = Delta2^2 / (2 sigma^2)} and the (epsilon, delta) of its calibration; thresholded
 * partition selection adds its delta to both statements.
 */
public record PrivacyLoss(double epsilon, double delta, double rho, double zcdpDelta) {
    public PrivacyLoss {
        check(epsilon, "epsilon");
        check(rho, "rho");
        checkDelta(delta, "delta");
        checkDelta(zcdpDelta, "zcdpDelta");
    }

    public static final PrivacyLoss NONE = new PrivacyLoss(0, 0, 0, 0);

    /** A pure epsilon-DP release (discrete Laplace). */
    public static PrivacyLoss pure(double epsilon) {
        return new PrivacyLoss(epsilon, 0, epsilon * epsilon / 2, 0);
    }

    /** A pure epsilon-DP mechanism whose output is also thresholded with failure probability delta. */
    public static PrivacyLoss thresholded(double epsilon, double delta) {
        return new PrivacyLoss(epsilon, delta, epsilon * epsilon / 2, delta);
    }

    /** A Gaussian release: rho-zCDP, and (epsilon, delta)-DP by its calibration. */
    public static PrivacyLoss gaussian(double epsilon, double delta, double rho) {
        return new PrivacyLoss(epsilon, delta, rho, 0);
    }

    /** Both statements of two releases one after the other (sequential composition, adaptive). */
    public PrivacyLoss plus(PrivacyLoss other) {
        return new PrivacyLoss(epsilon + other.epsilon, Math.min(delta + other.delta, MAX_DELTA),
                rho + other.rho, Math.min(zcdpDelta + other.zcdpDelta, MAX_DELTA));
    }

    /** This loss with extra delta on both statements (a thresholded partition selection, say). */
    public PrivacyLoss withExtraDelta(double extra) {
        checkDelta(extra, "delta");
        return new PrivacyLoss(epsilon, Math.min(delta + extra, MAX_DELTA), rho, Math.min(zcdpDelta + extra, MAX_DELTA));
    }

    private static final double MAX_DELTA = Math.nextDown(1.0);

    private static void check(double value, String name) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be >= 0 and finite. Provided value: " + value);
        }
    }

    private static void checkDelta(double value, String name) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1). Provided value: " + value);
        }
    }
}
