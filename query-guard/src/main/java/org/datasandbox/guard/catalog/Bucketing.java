package org.datasandbox.guard.catalog;

/**
 * How a quasi-identifier may become a dimension: numbers in bands at least {@code minWidth} wide
 * ({@code FLOOR(age / 10)}, or a CASE of ranges), dates at a granularity no finer than {@code dateUnit}
 * ({@code YEAR(visit_date)}, {@code FLOOR(YEAR(birth_date) / 10)}).
 */
public record Bucketing(int minWidth, DateUnit dateUnit) {

    /** Date granularities, finest first. */
    public enum DateUnit {
        MONTH,
        QUARTER,
        YEAR,
        DECADE
    }

    public Bucketing {
        if (minWidth < 2) {
            throw new IllegalArgumentException("bucket width must be >= 2. Provided value: " + minWidth);
        }
        if (dateUnit == null) {
            throw new IllegalArgumentException("bucket date unit is required");
        }
    }

    public static Bucketing numeric(int minWidth) {
        return new Bucketing(minWidth, DateUnit.YEAR);
    }

    public static Bucketing dates(DateUnit unit) {
        return new Bucketing(10, unit);
    }
}
