package org.datasandbox.masking.function;

/**
 * One masking function bound to its parameters. Implementations are immutable and thread-safe, so one
 * instance serves every row of a column on every Spark task.
 */
public interface MaskingFunction extends java.io.Serializable {

    /** The name used in policy files, e.g. {@code mobile}. */
    String name();

    /**
     * The type this function produces for a column of {@code input} type.
     *
     * @throws org.datasandbox.masking.MaskingException if the function does not apply to that type
     */
    ValueType outputType(ValueType input);

    /**
     * Masks one value of the column's type ({@link String}, {@link Integer}, {@link Long}, {@link Double},
     * {@link java.time.LocalDate} or {@link Boolean}). {@code null} stays {@code null}.
     */
    Object mask(Object value);

    /**
     * Masks a column held as an array, into {@code out} (at least as long): the column-at-a-time entry
     * point for callers holding batches. Same results as {@link #mask} value by value.
     */
    default void maskAll(Object[] values, Object[] out) {
        if (out.length < values.length) {
            throw new IllegalArgumentException("out holds " + out.length + " values, fewer than the " + values.length + " given");
        }
        for (int i = 0; i < values.length; i++) {
            out[i] = mask(values[i]);
        }
    }
}
