package org.datasandbox.core.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.datasandbox.guard.catalog.Bounds;
import org.datasandbox.guard.catalog.Bucketing;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.ColumnType;
import org.datasandbox.masking.policy.MaskingSpec;

/**
 * What a table policy says about one column; {@code line} is where the policy file says it. The type is
 * optional: registered data has its own, and a policy with types can be checked without any data.
 * {@code values} are the public values of a category column (empty when the policy declares none): a
 * synthetic sample counts them with noise instead of releasing only the values enough people hold.
 */
public record ColumnPolicy(String name, Optional<ColumnType> type, ColumnRole role, Optional<Bounds> bounds,
                           Optional<Bucketing> bucketing, MaskingSpec mask, String classification, int line,
                           List<String> values) {

    public ColumnPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(bucketing, "bucketing");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(classification, "classification");
        values = List.copyOf(values);
    }
}
