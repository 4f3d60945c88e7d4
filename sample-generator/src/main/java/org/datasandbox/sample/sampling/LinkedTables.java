package org.datasandbox.sample.sampling;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The spec of one table's linked sampling: the table with its privacy unit and the chain of parents its
 * privacy unit references (the link columns are the two units), the tables linked below it, and whether its
 * masked sample joins its parent's (both units carry the same mask, so the same person has the same pseudonym).
 * Only then are suppression carried down and the child anonymized together with its parent's released values.
 *
 * @param table the table, its unit, strata and parent chain
 * @param children the tables whose privacy unit references this table's
 * @param pseudonymsMatch whether the table's and its parent's privacy units are masked alike
 */
public record LinkedTables(LinkedTable table, List<String> children, boolean pseudonymsMatch) {

    public LinkedTables {
        Objects.requireNonNull(table, "table");
        children = List.copyOf(children);
        if (pseudonymsMatch && table.parent().isEmpty()) {
            throw new IllegalArgumentException("a table without a parent has no pseudonyms to match: " + table.name());
        }
    }

    /** A table linked to nothing. */
    public static LinkedTables alone(String table, String unit, String stratifyBy) {
        return new LinkedTables(new LinkedTable(table, unit, stratifyBy, Optional.empty()), List.of(), false);
    }

    /** The privacy-unit column: this table's link column. */
    public String unit() {
        return table.unit();
    }

    /** The parent this table's privacy unit references, if any. */
    public Optional<LinkedTable> parent() {
        return table.parent();
    }

    /** The parent whose released sample this table's sample joins on the pseudonym, if any. */
    public Optional<LinkedTable> joinedParent() {
        return pseudonymsMatch ? table.parent() : Optional.empty();
    }
}
