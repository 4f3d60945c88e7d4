package org.datasandbox.core.policy;

import java.util.Objects;
import java.util.Optional;
import org.datasandbox.guard.catalog.Bounds;
import org.datasandbox.guard.catalog.Bucketing;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.masking.policy.MaskingSpec;

/** What a table policy says about one column; {@code line} is where the policy file says it. */
public record ColumnPolicy(String name, ColumnRole role, Optional<Bounds> bounds, Optional<Bucketing> bucketing,
                           MaskingSpec mask, String classification, int line) {

    public ColumnPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(bucketing, "bucketing");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(classification, "classification");
    }
}
