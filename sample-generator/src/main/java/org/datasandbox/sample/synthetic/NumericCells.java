package org.datasandbox.sample.synthetic;

import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.time.LocalDate;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.sample.SampleColumn;

/**
 * A numeric or date column cut into bins of its policy bounds, fixed before any data is read: dates
 * by calendar year (1900 to 2099 when the policy gives no bounds), integers one bin per value when
 * there are at most {@value #BINS}, other numbers {@value #BINS} bins of equal width. Values outside the
 * bounds count in the first or last bin (the policy clamps them). A value is drawn uniformly inside its bin.
 */
final class NumericCells implements Cells {
    private static final long serialVersionUID = 1L;
    static final int BINS = 20;
    private static final int FIRST_YEAR = 1900;
    private static final int LAST_YEAR = 2099;

    private final ValueType type;
    private final double lower;
    private final double upper;
    private final int bins;
    private final double width;

    private NumericCells(ValueType type, double lower, double upper, int bins, double width) {
        this.type = type;
        this.lower = lower;
        this.upper = upper;
        this.bins = bins;
        this.width = width;
    }

    static NumericCells of(SampleColumn column) {
        if (column.type() == ValueType.DATE) {
            int first = Double.isNaN(column.lower()) ? FIRST_YEAR : LocalDate.ofEpochDay((long) column.lower()).getYear();
            int last = Double.isNaN(column.upper()) ? LAST_YEAR : LocalDate.ofEpochDay((long) column.upper()).getYear();
            double lower = Double.isNaN(column.lower()) ? LocalDate.of(first, 1, 1).toEpochDay() : column.lower();
            double upper = Double.isNaN(column.upper()) ? LocalDate.of(last, 12, 31).toEpochDay() : column.upper();
            return new NumericCells(ValueType.DATE, lower, upper, last - first + 1, 1);
        }
        boolean integral = column.type() == ValueType.INTEGER || column.type() == ValueType.LONG;
        if (integral) {
            double lower = Math.ceil(column.lower());
            double upper = Math.floor(column.upper());
            double values = upper - lower + 1;
            if (values <= BINS) {
                return new NumericCells(column.type(), lower, upper, (int) Math.max(1, values), 1);
            }
            return new NumericCells(column.type(), lower, upper, BINS, (upper - lower) / BINS);
        }
        return new NumericCells(column.type(), column.lower(), column.upper(), BINS, (column.upper() - column.lower()) / BINS);
    }

    @Override
    public int size() {
        return bins + 1;
    }

    @Override
    public Column cell(Column value) {
        Column index = type == ValueType.DATE
                ? year(value).minus(lit(LocalDate.ofEpochDay((long) lower).getYear()))
                : floor(value.cast("double").minus(lit(lower)).divide(lit(width)));
        Column bin = least(greatest(index.cast("long"), lit(0L)), lit((long) bins - 1)).plus(lit(1L));
        return when(value.isNull(), lit(0L)).otherwise(bin).cast("int");
    }

    @Override
    public Object draw(int cell, SplittableRandom random) {
        if (cell == 0) {
            return null;
        }
        int bin = cell - 1;
        return switch (type) {
            case DATE -> {
                int year = LocalDate.ofEpochDay((long) lower).getYear() + bin;
                long from = Math.max((long) lower, LocalDate.of(year, 1, 1).toEpochDay());
                long to = Math.min((long) upper, LocalDate.of(year, 12, 31).toEpochDay());
                yield LocalDate.ofEpochDay(from + random.nextLong(Math.max(1, to - from + 1)));
            }
            case INTEGER, LONG -> {
                // the integers whose bin is this one: ceil(start) up to the last below the next bin's start
                long from = (long) Math.ceil(lower + bin * width);
                long to = bin == bins - 1 ? (long) upper : (long) Math.ceil(lower + (bin + 1) * width) - 1;
                long value = to < from ? from : from + random.nextLong(to - from + 1);
                yield type == ValueType.INTEGER ? (Object) (int) value : (Object) value;
            }
            case DOUBLE -> {
                double x = lower + (bin + random.nextDouble()) * width;
                yield Math.min(upper, Math.rint(x * scale()) / scale());
            }
            default -> throw new IllegalStateException("not a numeric type: " + type);
        };
    }

    /** 10 to the power of as many decimals as a hundredth of the bin width makes meaningful. */
    private double scale() {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(width / 100)));
        return Math.pow(10, Math.min(decimals, 12));
    }
}
