package org.datasandbox.masking.function;

import org.datasandbox.masking.MaskingException;

/**
 * Generalizes a number to the lower bound of its band of the given width: with width 10, age 37 becomes
 * 30. The column keeps its type so that jobs written on the sample run unchanged on the originals.
 *
 * <p>Optionally bottom- and top-coded: bands are laid from {@code bottom} up to {@code top}, a value below
 * {@code bottom} reads {@code bottom} (the lowest band is open below) and a value at or above {@code top} reads
 * {@code top} (one open band "{@code top} and above"). The codes are public (the policy's), so a thin tail of
 * large values shares one band instead of singling its few people out; {@code top - bottom} is a whole number
 * of widths, so every band edge, and every coarser multiple of the width from {@code bottom}, nests.
 *
 * @param bottom the bottom code, negative infinity when there is none (bands then start at 0)
 * @param top the top code, positive infinity when there is none
 */
public record NumberBand(long width, double bottom, double top) implements NumberMask {
    private static final long serialVersionUID = 2L;

    public NumberBand {
        if (width < 2) {
            throw new MaskingException("band: width must be >= 2. Provided value: " + width);
        }
        if (Double.isNaN(bottom) || Double.isNaN(top) || bottom == Double.POSITIVE_INFINITY || top == Double.NEGATIVE_INFINITY) {
            throw new MaskingException("band: bottom and top must be numbers");
        }
        if (!(bottom < top)) {
            throw new MaskingException("band: bottom must be < top");
        }
        double origin = Double.isInfinite(bottom) ? 0 : bottom;
        if (Double.isFinite(top) && !wholeWidths(top - origin, width)) {
            throw new MaskingException("band: top must be " + (Double.isInfinite(bottom) ? "a multiple of width" : "bottom plus a multiple of width")
                    + " (so that the top band starts on a band edge)");
        }
    }

    /** Bands from 0, neither bottom- nor top-coded. */
    public NumberBand(long width) {
        this(width, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** Where bands start: the bottom code, or 0 without one. */
    public double origin() {
        return Double.isInfinite(bottom) ? 0 : bottom;
    }

    /** Whether the band is bottom- or top-coded. */
    public boolean coded() {
        return Double.isFinite(bottom) || Double.isFinite(top);
    }

    private static boolean wholeWidths(double distance, long width) {
        double ratio = distance / width;
        return ratio >= 1 - 1e-9 && Math.abs(ratio - Math.rint(ratio)) < 1e-9;
    }

    @Override
    public String name() {
        return "band";
    }

    @Override
    public Object mask(Object value) {
        if (value == null) {
            return null;
        }
        if (!coded()) {
            if (value instanceof Integer i) {
                return (int) (Math.floorDiv((long) i, width) * width);
            }
            if (value instanceof Long l) {
                return Math.floorDiv(l, width) * width;
            }
        }
        double d = ((Number) value).doubleValue();
        if (!Double.isFinite(d)) {
            return null;
        }
        double coded = Math.min(Math.max(d, bottom), top);
        double banded = coded >= top ? top : origin() + Math.floor((coded - origin()) / width) * width;
        if (value instanceof Integer) {
            return (int) banded;
        }
        if (value instanceof Long) {
            return (long) banded;
        }
        return banded;
    }
}
