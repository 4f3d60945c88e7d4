package org.datasandbox.core.review;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the sandbox found about an output, computed on the originals inside: per released cell its distinct units
 * and flags, and for the whole output its suppressed cells, structural zeros and residual identifiers. It holds
 * flags and counts; the only values in it are the released cells' own group keys (already in the result).
 *
 * @param analysed whether the cells could be traced to their units (a query of one table grouped by columns);
 *                 when false, {@code note} says why and only the lineage flags are filled
 * @param cells one per released row, in the result's order
 * @param suppressedCells cells of the query that had fewer than k units, withheld from the result (no keys shown)
 * @param structuralZeros released key combinations absent from the data though each of their key values is
 *                        released (each as key=value pairs of the result)
 * @param residualIdentifiers released columns whose lineage is a direct identifier or a quasi-identifier
 */
public record DisclosureReport(DisclosureSettings settings, boolean analysed, String note, List<String> groupKeys,
                               List<Cell> cells, int suppressedCells, List<Map<String, String>> structuralZeros,
                               List<String> residualIdentifiers) {

    /**
     * One released cell.
     *
     * @param keys the cell's group key values as released
     * @param units distinct privacy units behind the cell
     * @param dominance one per summed measure
     * @param differences earlier released cells of the scenario that, subtracted from this one (or this one from
     *                    them), leave fewer than k units
     */
    public record Cell(int row, Map<String, String> keys, long units, boolean belowK, boolean zero,
                       List<Dominance> dominance, List<Difference> differences) {
        public Cell {
            keys = Map.copyOf(keys);
            dominance = List.copyOf(dominance);
            differences = List.copyOf(differences);
        }

        public boolean flagged() {
            return belowK || zero || differences.size() > 0 || dominance.stream().anyMatch(Dominance::flagged);
        }
    }

    /**
     * The dominance rules on one summed measure of a cell; shares, not values.
     *
     * @param topShare the share of the cell's total held by its n largest contributors, 0 to 1
     * @param pRule the p% rule flags the cell
     * @param nkRule the (n, k) rule flags the cell
     */
    public record Dominance(String measure, double topShare, boolean pRule, boolean nkRule) {
        public boolean flagged() {
            return pRule || nkRule;
        }
    }

    /**
     * An earlier release this cell differences.
     *
     * @param unitsOnlyHere units in this cell and not in the earlier one
     * @param unitsOnlyThere units in the earlier cell and not in this one
     */
    public record Difference(String earlierJob, int earlierRow, long unitsOnlyHere, long unitsOnlyThere) {
    }

    public DisclosureReport {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(note, "note");
        groupKeys = List.copyOf(groupKeys);
        cells = List.copyOf(cells);
        structuralZeros = List.copyOf(structuralZeros);
        residualIdentifiers = List.copyOf(residualIdentifiers);
    }

    /** Cells with at least one flag. */
    public long flaggedCells() {
        return cells.stream().filter(Cell::flagged).count();
    }

    /** Whether any cell differences an earlier release. */
    public boolean differencesEarlier() {
        return cells.stream().anyMatch(c -> !c.differences().isEmpty());
    }

    /** Counts of each flag, for the ledger and summaries: no keys, no values. */
    public Map<String, String> summary() {
        Map<String, String> summary = new java.util.LinkedHashMap<>();
        summary.put("analysed", Boolean.toString(analysed));
        summary.put("cells", Integer.toString(cells.size()));
        summary.put("belowK", Long.toString(cells.stream().filter(Cell::belowK).count()));
        summary.put("dominance", Long.toString(cells.stream().filter(c -> c.dominance().stream()
                .anyMatch(Dominance::flagged)).count()));
        summary.put("zeros", Long.toString(cells.stream().filter(Cell::zero).count()));
        summary.put("structuralZeros", Integer.toString(structuralZeros.size()));
        summary.put("differences", Long.toString(cells.stream().filter(c -> !c.differences().isEmpty()).count()));
        summary.put("suppressedCells", Integer.toString(suppressedCells));
        summary.put("residualIdentifiers", String.join(",", residualIdentifiers));
        return summary;
    }
}
