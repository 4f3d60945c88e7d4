package org.datasandbox.sample.sampling;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;

/**
 * A column another release already shows (a linked parent's, joined on the pseudonym): the attacker has it as
 * released, so it takes part in the classes of this table but cannot be coarsened here; it has no level above 0.
 */
public record Released() implements Generalization {
    private static final long serialVersionUID = 1L;

    @Override
    public int levels() {
        return 0;
    }

    @Override
    public Column apply(Column value, DataType type, int level) {
        return value;
    }

    @Override
    public Object key(Object value, int level) {
        return value;
    }

    @Override
    public double loss(int level) {
        return 0;
    }

    @Override
    public String describe(int level) {
        return "as released in the linked table";
    }
}
