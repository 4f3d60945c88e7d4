package org.datasandbox.dp.noise;

/** Adds noise to an integer. Tests inject {@link #NONE}; DP guarantees are checked by statistical tests. */
public interface NoiseMechanism {

    NoiseMechanism NONE = value -> value;

    long addNoise(long value);
}
