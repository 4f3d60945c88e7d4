package org.datasandbox.dp.noise;

/** The noise distributions a release can carry; the name travels with every released value. */
public enum Mechanism {
    /** Discrete Laplace: pure epsilon-DP for an L1 sensitivity. */
    DISCRETE_LAPLACE,
    /** Discrete Gaussian: rho-zCDP and (epsilon, delta)-DP for an L2 sensitivity. */
    DISCRETE_GAUSSIAN
}
