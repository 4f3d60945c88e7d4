package org.datasandbox.core.dprelease;

import java.util.Objects;
import org.datasandbox.dp.noise.Mechanism;
import org.datasandbox.dp.noise.Noise;
import org.datasandbox.dp.noise.RandomSource;

/**
 * The noise of each mechanism a release may use, over one injected source: a release may noise its values with the
 * Gaussian and select its groups with the Laplace. Production uses {@link #over} a secure source; unit tests inject
 * zero-noise fakes.
 */
@FunctionalInterface
public interface Noises {

    Noise of(Mechanism mechanism);

    /** The real samplers of both mechanisms, drawing from {@code random}. */
    static Noises over(RandomSource random) {
        Objects.requireNonNull(random, "random");
        Noise laplace = Noise.laplace(random);
        Noise gaussian = Noise.gaussian(random);
        return mechanism -> mechanism == Mechanism.DISCRETE_GAUSSIAN ? gaussian : laplace;
    }
}
