package org.datasandbox.sample.sampling;

import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;

/** Columns without a coarser form (categories, strings, booleans, timestamps): kept as masked, or emptied. */
public record Suppression() implements Generalization {
    private static final long serialVersionUID = 1L;

    @Override
    public int levels() {
        return 1;
    }

    @Override
    public Column apply(Column value, DataType type, int level) {
        return level == 0 ? value : lit(null).cast(type);
    }

    @Override
    public Object key(Object value, int level) {
        return level == 0 ? value : null;
    }

    @Override
    public double loss(int level) {
        return level == 0 ? 0 : 1;
    }

    @Override
    public String describe(int level) {
        return level == 0 ? "as masked" : "removed";
    }
}
