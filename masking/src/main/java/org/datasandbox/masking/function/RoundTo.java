package org.datasandbox.masking.function;

import org.datasandbox.masking.MaskingException;

/** Rounds numbers to the nearest multiple of {@code step} (an income of 43,512 becomes 44,000 with 1,000). */
public record RoundTo(double step) implements NumberMask {
    private static final long serialVersionUID = 1L;

    public RoundTo {
        if (!(step > 0) || !Double.isFinite(step)) {
            throw new MaskingException("round: step must be > 0. Provided value: " + step);
        }
    }

    @Override
    public String name() {
        return "round";
    }

    @Override
    public Object mask(Object value) {
        if (value == null) {
            return null;
        }
        double d = ((Number) value).doubleValue();
        if (!Double.isFinite(d)) {
            return null;
        }
        double rounded = Math.round(d / step) * step;
        if (value instanceof Integer) {
            return (int) rounded;
        }
        if (value instanceof Long) {
            return (long) rounded;
        }
        return rounded;
    }
}
