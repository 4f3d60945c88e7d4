package org.datasandbox.masking.function;

import org.datasandbox.masking.MaskingException;

/**
 * Top and bottom coding: numbers outside {@code [bottom, top]} become the nearest bound, so that the
 * richest or oldest person no longer stands out. The column keeps its type.
 */
public record TopBottomCoding(double bottom, double top) implements NumberMask {
    private static final long serialVersionUID = 1L;

    public TopBottomCoding {
        if (!(bottom <= top)) {
            throw new MaskingException("top_bottom: bottom must be <= top");
        }
    }

    @Override
    public String name() {
        return "top_bottom";
    }

    @Override
    public Object mask(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer i) {
            return (int) Math.max(Math.min(i, top), bottom);
        }
        if (value instanceof Long l) {
            return (long) Math.max(Math.min(l, top), bottom);
        }
        double d = ((Number) value).doubleValue();
        return Double.isFinite(d) ? Math.max(Math.min(d, top), bottom) : null;
    }
}
