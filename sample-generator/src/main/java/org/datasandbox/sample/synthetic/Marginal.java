package org.datasandbox.sample.synthetic;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;

/**
 * The DP model of one column: a few coarse bins (bin 0 is "no value") that the dependency model links,
 * and how to draw a value inside a bin. Everything it holds was released with noise.
 */
abstract class Marginal implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] weights;

    /** @param weights noisy number of rows per coarse bin */
    Marginal(double[] weights) {
        this.weights = weights.clone();
    }

    final int bins() {
        return weights.length;
    }

    /** Noisy number of rows per coarse bin. */
    final double[] weights() {
        return weights.clone();
    }

    /** The weight of one bin, without copying them all. */
    final double weight(int bin) {
        return weights[bin];
    }

    /** The coarse bin of a value, as a Spark expression (for counting pairs of bins inside Spark). */
    abstract Column bin(Column value);

    /** A value of the bin; null for bin 0. */
    abstract Object draw(int bin, SplittableRandom random);
}
