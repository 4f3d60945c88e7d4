package org.datasandbox.sample.release;

import java.util.Objects;

/**
 * One column as a masked release shows it.
 *
 * @param mask the column's mask as the policy writes it (function and parameters, without the admin's reason);
 *     {@code nullify} and {@code redact} show one value for every row
 * @param cell how far its masked values were generalized
 */
public record ShownColumn(String mask, ShownCell cell) {

    public ShownColumn {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(cell, "cell");
    }

    /** Whether the column shows one value for every row (or none): nothing to link on. */
    public boolean constant() {
        return cell.kind() == ShownCell.Kind.REMOVED || mask.equals("nullify") || mask.startsWith("nullify(")
                || mask.equals("redact") || mask.startsWith("redact(");
    }

    /** Whether each of this column's values is determined by the same person's value in {@code earlier}. */
    public boolean determinedBy(ShownColumn earlier) {
        return constant() || mask.equals(earlier.mask) && cell.determinedBy(earlier.cell);
    }
}
