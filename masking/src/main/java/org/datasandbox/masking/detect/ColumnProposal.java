package org.datasandbox.masking.detect;

import java.util.Objects;

/**
 * What the profiler proposes for one column, for an admin to accept or edit.
 *
 * @param role a table-policy role: privacy_unit, direct_identifier, quasi_identifier, sensitive_attribute,
 *     dimension or measure
 * @param mask the mask as a policy would write it ({@code mobile}, {@code {function: band, width: 10}}),
 *     empty for the role's default
 * @param extra further policy fields as YAML flow entries ({@code bounds: [0, 200000]}), may be empty
 * @param evidence why, in words and shares: never a value
 */
public record ColumnProposal(String column, String role, String mask, String extra, String evidence) {
    public ColumnProposal {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(extra, "extra");
        Objects.requireNonNull(evidence, "evidence");
    }
}
