package org.datasandbox.guard.parse;

import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * Spark SQL's conformance as far as the guard needs it: Babel's leniency (GROUP BY alias and ordinal,
 * LIMIT) but strict GROUP BY, so that a non-grouped select item is an error rather than a silent
 * {@code ANY_VALUE}, which would release one row's value.
 */
public final class SparkConformance extends SqlDelegatingConformance {
    public static final SqlConformance INSTANCE = new SparkConformance();

    private SparkConformance() {
        super(SqlConformanceEnum.BABEL);
    }

    @Override
    public boolean isNonStrictGroupBy() {
        return false;
    }
}
