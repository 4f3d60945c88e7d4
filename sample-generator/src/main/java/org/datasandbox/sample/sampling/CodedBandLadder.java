package org.datasandbox.sample.sampling;

import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.datasandbox.masking.function.NumberBand;

/**
 * The ladder of a top-coded band mask: bands of a width laid from the origin (the bottom code, else 0) up to a
 * cap, and one open band "cap and above". Level 0 is the mask (its width, its top code); each level above widens
 * the bands to the next width that is a whole multiple of the last (1, 5, 10, 50, ... times a power of ten) or,
 * at the widest width below half the coded range, lowers the cap by one band, down to two bands: "below one
 * band" and "at least one band". Every level is a union of the bands of the level below (wider bands nest,
 * a lower cap only merges bands into the open one), so a release at a coarser level tells nothing a finer one
 * did not, and the re-release rule holds. The public domain is the coded range, one value per band of the mask:
 * a level with n values loses 1/n (the normalized certainty penalty of equal bands), the open band included.
 * Everything here is from the policy (width and codes), never from the data.
 *
 * @param origin where bands start
 * @param steps the width and cap of each level from 0 (the mask's own) on
 */
public record CodedBandLadder(double origin, List<Step> steps) implements Generalization {
    private static final long serialVersionUID = 1L;

    /**
     * One level's bands.
     *
     * @param width the width of the bands below the cap
     * @param cap the lower edge of the open band; a whole number of widths above the origin
     */
    public record Step(double width, double cap) implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        public Step {
            if (!(width > 0) || !Double.isFinite(cap)) {
                throw new IllegalArgumentException("a band step needs a width > 0 and a finite cap");
            }
        }
    }

    public CodedBandLadder {
        Objects.requireNonNull(steps, "steps");
        steps = List.copyOf(steps);
        if (steps.isEmpty() || !Double.isFinite(origin)) {
            throw new IllegalArgumentException("a coded ladder needs a finite origin and the mask's step");
        }
    }

    /** The ladder of a band mask with a top code. */
    static CodedBandLadder of(NumberBand band) {
        if (!Double.isFinite(band.top())) {
            throw new IllegalArgumentException("the band mask has no top code");
        }
        double origin = band.origin();
        double range = band.top() - origin;
        List<Step> steps = new ArrayList<>();
        double width = band.width();
        steps.add(new Step(width, band.top()));
        double next = nextNesting(width);
        while (next <= range / 2 * (1 + 1e-9)) {
            width = next;
            steps.add(new Step(width, origin + Math.floor(range / width + 1e-9) * width));
            next = nextNesting(width);
        }
        // at the widest width, the cap comes down one band at a time to two bands
        double cap = steps.get(steps.size() - 1).cap() - width;
        while (cap >= origin + width * (1 - 1e-9)) {
            Step last = steps.get(steps.size() - 1);
            if (cap < last.cap() - 1e-9 * width) {
                steps.add(new Step(width, cap));
            }
            cap -= width;
        }
        return new CodedBandLadder(origin, steps);
    }

    /** The next width that is a whole multiple of {@code width} and a nice number: 1 to 5, 2 to 10, 5 to 10. */
    static double nextNesting(double width) {
        double power = Math.pow(10, Math.floor(Math.log10(width) + 1e-9));
        double leading = Math.rint(width / power);
        double factor = leading == 5 ? 2 : 5;
        return BigDecimal.valueOf(width).multiply(BigDecimal.valueOf(factor)).doubleValue();
    }

    @Override
    public int levels() {
        return steps.size();
    }

    @Override
    public Column apply(Column value, DataType type, int level) {
        if (level == 0) {
            return value;
        }
        if (level >= levels()) {
            return lit(null).cast(type);
        }
        Step step = steps.get(level);
        Column number = value.cast("double");
        Column banded = floor(number.minus(lit(origin)).divide(lit(step.width()))).multiply(lit(step.width())).plus(lit(origin));
        return when(number.geq(lit(step.cap())), lit(step.cap())).otherwise(banded).cast(type);
    }

    @Override
    public Object key(Object value, int level) {
        if (value == null || level >= levels()) {
            return null;
        }
        if (level == 0) {
            return value;
        }
        Step step = steps.get(level);
        double number = ((Number) value).doubleValue();
        return number >= step.cap() ? step.cap() : origin + Math.floor((number - origin) / step.width()) * step.width();
    }

    /** 1 over the number of values a level shows (its bands below the cap and the open band), 1 when removed. */
    @Override
    public double loss(int level) {
        if (level >= levels()) {
            return 1;
        }
        Step step = steps.get(level);
        return 1 / (Math.rint((step.cap() - origin) / step.width()) + 1);
    }

    @Override
    public String describe(int level) {
        if (level == 0) {
            return "as masked";
        }
        if (level >= levels()) {
            return "removed";
        }
        Step step = steps.get(level);
        return "multiples of " + plain(step.width()) + (origin == 0 ? "" : " from " + plain(origin)) + ", " + plain(step.cap()) + " and above";
    }

    private static String plain(double number) {
        return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
    }

    @Override
    public boolean banded(int level) {
        return level < levels();
    }
}
