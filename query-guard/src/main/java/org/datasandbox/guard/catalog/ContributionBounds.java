package org.datasandbox.guard.catalog;

/**
 * How much one privacy unit may contribute to a DP release: the sensitivity every noise scale is computed from.
 * Rows beyond the bounds are dropped before aggregation (a random choice per unit), never clipped after.
 *
 * @param maxGroupsPerUnit L0: the number of groups (partitions) one unit may appear in
 * @param maxRowsPerUnitPerGroup Linf: the number of rows one unit may contribute to one group
 */
public record ContributionBounds(int maxGroupsPerUnit, int maxRowsPerUnitPerGroup) {

    /** One group, one row: exact for tables with one row per person; event tables should declare more. */
    public static final ContributionBounds DEFAULT = new ContributionBounds(1, 1);

    public ContributionBounds {
        if (maxGroupsPerUnit < 1 || maxGroupsPerUnit > 1_000) {
            throw new IllegalArgumentException("max groups per unit must be in [1, 1000]. Provided value: "
                    + maxGroupsPerUnit);
        }
        if (maxRowsPerUnitPerGroup < 1 || maxRowsPerUnitPerGroup > 1_000) {
            throw new IllegalArgumentException("max rows per unit per group must be in [1, 1000]. Provided value: "
                    + maxRowsPerUnitPerGroup);
        }
    }
}
