package org.datasandbox.sample.sampling;

import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.year;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;

/**
 * Dates truncated ever coarser from the mask's own unit: month, year, five years, decade, then no value.
 *
 * @param start the unit the mask leaves (level 0)
 */
public record DateLadder(Step start) implements Generalization {
    private static final long serialVersionUID = 1L;

    /** The truncation units, finest first. */
    public enum Step {
        DAY, MONTH, YEAR, FIVE_YEARS, DECADE
    }

    @Override
    public int levels() {
        return Step.values().length - start.ordinal();
    }

    private Step step(int level) {
        return Step.values()[start.ordinal() + level];
    }

    @Override
    public Column apply(Column value, DataType type, int level) {
        if (level == 0) {
            return value;
        }
        if (level >= levels()) {
            return lit(null).cast(type);
        }
        return switch (step(level)) {
            case DAY -> value;
            case MONTH -> trunc(value, "month");
            case YEAR -> trunc(value, "year");
            case FIVE_YEARS -> years(value, 5);
            case DECADE -> years(value, 10);
        };
    }

    private static Column years(Column value, int span) {
        return make_date(floor(year(value).divide(span)).multiply(span).cast("int"), lit(1), lit(1));
    }

    @Override
    public Object key(Object value, int level) {
        if (value == null || level >= levels()) {
            return null;
        }
        java.time.LocalDate date = value instanceof java.sql.Date sql ? sql.toLocalDate() : (java.time.LocalDate) value;
        return switch (step(level)) {
            case DAY -> date.toEpochDay();
            case MONTH -> date.getYear() * 12L + date.getMonthValue();
            case YEAR -> (long) date.getYear();
            case FIVE_YEARS -> (long) Math.floorDiv(date.getYear(), 5);
            case DECADE -> (long) Math.floorDiv(date.getYear(), 10);
        };
    }

    /** Days a value of each step covers, against a century: what "far apart" means for dates. */
    @Override
    public double loss(int level) {
        if (level >= levels()) {
            return 1;
        }
        double days = switch (step(level)) {
            case DAY -> 1;
            case MONTH -> 30.44;
            case YEAR -> 365.25;
            case FIVE_YEARS -> 5 * 365.25;
            case DECADE -> 10 * 365.25;
        };
        return days / (100 * 365.25);
    }

    @Override
    public String describe(int level) {
        if (level >= levels()) {
            return "removed";
        }
        return level == 0 ? "as masked" : step(level).name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    @Override
    public boolean banded(int level) {
        return level < levels() && (level > 0 || start != Step.DAY);
    }
}
