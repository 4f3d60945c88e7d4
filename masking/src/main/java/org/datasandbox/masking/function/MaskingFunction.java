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
}
