package org.datasandbox.core.policy;

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
 */
public record ColumnPolicy(String name, Optional<ColumnType> type, ColumnRole role, Optional<Bounds> bounds,
                           Optional<Bucketing> bucketing, MaskingSpec mask, String classification, int line) {

    public ColumnPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(bucketing, "bucketing");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(classification, "classification");
    }
}
