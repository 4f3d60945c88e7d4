package org.datasandbox.sample.sampling;

import java.io.Serializable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.datasandbox.masking.function.DateTruncate;
import org.datasandbox.masking.function.KeyedNoise;
import org.datasandbox.masking.function.MaskingFunction;
import org.datasandbox.masking.function.NumberBand;
import org.datasandbox.masking.function.RoundTo;
import org.datasandbox.masking.function.ValueType;

/**
 * A column's steps of generalization after its mask, coarser at each level: level 0 is the masked value,
 * the last level ({@link #levels()}) is no value at all. The same level is applied to every row (global
 * recoding), so a masked value always means the same set of originals.
 */
public sealed interface Generalization extends Serializable permits NumberLadder, CodedBandLadder, DateLadder, Suppression, Released {

    /** The highest level: the column is empty. */
    int levels();

    /** {@code value} (the masked column) generalized to {@code level}, of the column's type. */
    Column apply(Column value, DataType type, int level);

    /** What a level means, for the report: "bands of 20000", "decade", "removed". */
    String describe(int level);

    /**
     * The information a value at {@code level} has lost, 0 (exact) to 1 (no value): the share of the column's
     * public domain one generalized value covers (the normalized certainty penalty of Mondrian's authors), from
     * the ladder and the policy alone. A value whose domain is unknown counts as exact until it is removed.
     */
    double loss(int level);

    /**
     * Whether a value at {@code level} stands for a band of several values (numbers, dates): its public loss then
     * assumes the data spread over the public domain, which the search checks against the sample's own share
     * of the band. An exact value (level 0 of a column its mask keeps exact) is no band however many people share
     * it: a flag held by 85% of people is still known exactly. A column kept or emptied whole has no band.
     */
    default boolean banded(int level) {
        return false;
    }

    /**
     * A key that two masked values share exactly when {@link #apply} makes them one value at {@code level}
     * (null when it makes them no value): how a search compares levels on the driver without a Spark job per
     * level. Only the partition matters; the key need not be the generalized value itself.
     */
    Object key(Object value, int level);

    /**
     * The ladder of a masked column: numbers go to wider multiples of a "nice" width starting from the
     * mask's width (from a band mask's bottom code, over its bottom and top codes when it has them, else over the
     * policy bounds; a top-coded band has its own nesting ladder, {@link CodedBandLadder}), dates to month, year, five years and decade, anything else straight to no value.
     *
     * @param lower the policy's lower bound of a number, NaN when it has none
     * @param upper the upper bound, NaN when none
     */
    static Generalization of(ValueType type, MaskingFunction mask, double lower, double upper) {
        if (type == ValueType.DATE) {
            DateLadder.Step start = mask instanceof DateTruncate truncate
                    ? (truncate.unit() == DateTruncate.Unit.MONTH ? DateLadder.Step.MONTH : DateLadder.Step.YEAR)
                    : DateLadder.Step.DAY;
            return new DateLadder(start);
        }
        if (type.isNumeric()) {
            double base;
            double origin = 0;
            if (mask instanceof NumberBand band && Double.isFinite(band.top())) {
                return CodedBandLadder.of(band);
            }
            if (mask instanceof NumberBand band) {
                base = band.width();
                origin = band.origin();
                // a bottom or top code is the public domain the bands are laid over
                lower = Double.isFinite(band.bottom()) ? band.bottom() : lower;
                upper = Double.isFinite(band.top()) ? band.top() : upper;
            } else if (mask instanceof RoundTo round) {
                base = round.step();
            } else if (mask instanceof KeyedNoise noise) {
                base = 2 * noise.bound();
            } else {
                base = type == ValueType.DOUBLE ? 0 : 1;
            }
            double span = Double.isNaN(lower) || Double.isNaN(upper) ? Double.NaN : upper - lower;
            return NumberLadder.of(type, base, span, origin);
        }
        return new Suppression();
    }
}
