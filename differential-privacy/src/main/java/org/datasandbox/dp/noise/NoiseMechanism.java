package org.datasandbox.dp.noise;

/**
 * Adds noise to an integer. Production noise is a calibrated {@link IntegerNoise}; unit tests of the
 * surrounding logic inject a zero-noise fake of their own, and DP guarantees are checked by statistical
 * tests.
 */
public interface NoiseMechanism {

    long addNoise(long value);
}
