package org.datasandbox.sample.sampling;

import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.datasandbox.masking.function.ValueType;

/**
 * Numbers floored to multiples of ever wider "nice" widths (1, 2 or 5 times a power of ten) above the
 * mask's own width, counted from an origin (0, or a band mask's bottom code), until one width covers the
 * public domain (the policy bounds, or the mask's bottom and top codes); then no value. A top-coded value
 * (the top code itself, "and above") falls into the band below it when a width does not divide the domain:
 * still one band, so every level is a partition and a level whose width is a whole multiple of another's
 * nests in it.
 *
 * @param base the mask's own width (0 when the mask keeps exact values)
 * @param span the width of the public domain, NaN when there is none
 * @param origin where bands start (a band mask's bottom code, else 0)
 * @param widths the width of each level from 1 on (level 0 is the masked value)
 * @param integral whether the column holds whole numbers: a band of width w then spans w - 1 between its
 *     smallest and largest value, and an exact value none
 */
public record NumberLadder(double base, double span, double origin, List<Double> widths, boolean integral) implements Generalization {
    private static final long serialVersionUID = 1L;
    /** Without bounds the ladder stops after this many steps. */
    private static final int UNBOUNDED_STEPS = 12;

    public NumberLadder {
        if (!Double.isFinite(origin)) {
            throw new IllegalArgumentException("origin must be finite. Provided value: " + origin);
        }
        widths = List.copyOf(widths);
    }

    static NumberLadder of(ValueType type, double base, double span) {
        return of(type, base, span, 0);
    }

    static NumberLadder of(ValueType type, double base, double span, double origin) {
        double width = base > 0 ? base : (Double.isNaN(span) ? 0.01 : span / 1000);
        if (type != ValueType.DOUBLE) {
            width = Math.max(1, width);
        }
        List<Double> widths = new ArrayList<>();
        double next = nextNice(width);
        while (widths.size() < UNBOUNDED_STEPS && (Double.isNaN(span) || widths.isEmpty() || widths.get(widths.size() - 1) < span)) {
            widths.add(next);
            next = nextNice(next);
        }
        return new NumberLadder(Math.max(0, base), span, origin, widths, type != ValueType.DOUBLE);
    }

    /** The nice number (1, 2 or 5 times a power of ten) next above {@code width}. */
    static double nextNice(double width) {
        double power = Math.pow(10, Math.floor(Math.log10(width)));
        for (double factor : new double[] {1, 2, 5, 10, 20}) {
            double candidate = BigDecimal.valueOf(power).multiply(BigDecimal.valueOf(factor)).doubleValue();
            if (candidate > width * (1 + 1e-9)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no nice number above " + width);
    }

    @Override
    public int levels() {
        return widths.size() + 1;
    }

    @Override
    public Column apply(Column value, DataType type, int level) {
        if (level == 0) {
            return value;
        }
        if (level >= levels()) {
            return lit(null).cast(type);
        }
        double width = widths.get(level - 1);
        return floor(value.cast("double").minus(lit(origin)).divide(lit(width))).multiply(lit(width)).plus(lit(origin)).cast(type);
    }

    @Override
    public Object key(Object value, int level) {
        if (value == null || level >= levels()) {
            return null;
        }
        if (level == 0) {
            return value;
        }
        return Math.floor((((Number) value).doubleValue() - origin) / widths.get(level - 1));
    }

    @Override
    public double loss(int level) {
        if (level >= levels()) {
            return 1;
        }
        if (Double.isNaN(span) || span <= 0) {
            return (double) level / levels(); // no public domain: the share of the ladder climbed
        }
        double width = level == 0 ? base : widths.get(level - 1);
        return Math.min(1, Math.max(0, integral ? width - 1 : width) / span);
    }

    @Override
    public String describe(int level) {
        if (level == 0) {
            return "as masked";
        }
        if (level >= levels()) {
            return "removed";
        }
        String multiples = "multiples of " + BigDecimal.valueOf(widths.get(level - 1)).stripTrailingZeros().toPlainString();
        return origin == 0 ? multiples : multiples + " from " + BigDecimal.valueOf(origin).stripTrailingZeros().toPlainString();
    }

    @Override
    public boolean banded(int level) {
        return level < levels() && (level > 0 || (integral ? base > 1 : base > 0));
    }
}
