package org.datasandbox.masking.function;

import org.datasandbox.masking.MaskingException;

/**
 * Generalizes a number to the lower bound of its band of the given width: with width 10, age 37 becomes
 * 30. The column keeps its type so that jobs written on the sample run unchanged on the originals.
 */
public record NumberBand(long width) implements NumberMask {
    private static final long serialVersionUID = 1L;

    public NumberBand {
        if (width < 2) {
            throw new MaskingException("band: width must be >= 2. Provided value: " + width);
        }
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
        if (value instanceof Integer i) {
            return (int) (Math.floorDiv((long) i, width) * width);
        }
        if (value instanceof Long l) {
            return Math.floorDiv(l, width) * width;
        }
        double d = ((Number) value).doubleValue();
        if (!Double.isFinite(d)) {
            return null;
        }
        return Math.floor(d / width) * width;
    }
}
