package org.datasandbox.core.dprelease;

/**
 * Rows handed to {@link UnitBoundingPass} are not clustered and sorted by the privacy unit: bounding them per
 * partition would bound a split unit twice, so nothing of that run may be used. Its message names partitions,
 * never values.
 */
public final class LayoutViolation extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    LayoutViolation(String message) {
        super(message);
    }

    /** Whether {@code e} is, or was caused by, a layout violation (Spark wraps a task's exception). */
    static boolean causes(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof LayoutViolation || String.valueOf(t.getMessage()).contains(LayoutViolation.class.getName())) {
                return true;
            }
        }
        return false;
    }
}
