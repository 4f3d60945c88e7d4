package org.datasandbox.sample.synthetic;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;

/**
 * How one modelled column is discretized: cell 0 is "no value", the others are bins of the policy
 * bounds or released categories. Everything a {@code Cells} holds is public or was released with noise,
 * so drawing a value inside a cell looks at nothing else.
 */
interface Cells extends Serializable {

    /** Number of cells, "no value" included. */
    int size();

    /** The cell of a value, as a Spark expression (for counting inside Spark). */
    Column cell(Column value);

    /** A value of the cell; null for cell 0. */
    Object draw(int cell, SplittableRandom random);
}
