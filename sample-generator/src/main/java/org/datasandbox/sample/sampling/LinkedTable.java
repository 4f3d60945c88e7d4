package org.datasandbox.sample.sampling;

import java.util.Objects;
import java.util.Optional;

/**
 * A table to sample with the tables it is linked to: its privacy-unit column, its strata, and the parent
 * table whose privacy units its own privacy unit references by a declared join (a visit's person). A
 * linked table's sample holds exactly the people of its parent's sample.
 *
 * @param name the table
 * @param unit its privacy-unit column
 * @param stratifyBy the column whose values are strata, "" for none (used only where the table is the root)
 * @param parent the table its privacy unit references, if any
 */
public record LinkedTable(String name, String unit, String stratifyBy, Optional<LinkedTable> parent) {
    /** Chains longer than this are not followed: a policy cannot make sampling recurse without end. */
    public static final int MAX_DEPTH = 3;

    public LinkedTable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(stratifyBy, "stratifyBy");
        Objects.requireNonNull(parent, "parent");
        if (depth(parent) > MAX_DEPTH) {
            throw new IllegalArgumentException("linked tables nest at most " + MAX_DEPTH + " deep: " + name);
        }
    }

    private static int depth(Optional<LinkedTable> parent) {
        return parent.map(p -> 1 + depth(p.parent())).orElse(0);
    }

    /** The table at the top of the chain: whose people everyone below shares. */
    public LinkedTable root() {
        return parent.map(LinkedTable::root).orElse(this);
    }
}
