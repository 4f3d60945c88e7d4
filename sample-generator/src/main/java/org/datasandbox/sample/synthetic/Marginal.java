package org.datasandbox.sample.synthetic;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;

/**
 * The DP model of one column: a few coarse bins (bin 0 is "no value") that the dependency model links,
 * and how to draw a value inside a bin. Everything it holds was released with noise.
 */
interface Marginal extends Serializable {

    int bins();

    /** Noisy number of rows per coarse bin. */
    double[] weights();

    /** The coarse bin of a value, as a Spark expression (for counting pairs of bins inside Spark). */
    Column bin(Column value);

    /** A value of the bin; null for bin 0. */
    Object draw(int bin, SplittableRandom random);
}
