package org.datasandbox.masking.detect;

import java.util.List;
import java.util.Objects;

/**
 * What the profiler reads of a column: its name and type, how many rows and distinct values it has, and
 * a sample of its non-empty values as text (dates as ISO dates). The values stay in the sandbox.
 *
 * @param type {@code string}, {@code integer}, {@code bigint}, {@code double}, {@code date},
 *     {@code timestamp} or {@code boolean}
 * @param min the smallest value of a numeric column, {@code max} the largest: for proposing bounds, rounded
 *     outward, never shown as they are
 */
public record ColumnProfile(String name, String type, long rows, long distinct, double min, double max,
                            List<String> values) {
    public ColumnProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        values = List.copyOf(values);
    }
}
