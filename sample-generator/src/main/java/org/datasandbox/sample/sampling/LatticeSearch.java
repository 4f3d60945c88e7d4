package org.datasandbox.sample.sampling;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The full-domain generalization of least information loss (ARX's lattice search, exhaustive as OLA and
 * Flash are optimal): every combination of levels of the attacker-known columns is a node; a node is valid
 * when at most the allowed share of rows sits in classes of fewer than k people or fewer than l values of a
 * sensitive column (those rows are suppressed); of the valid nodes the one with the least loss wins. The loss
 * of a node is the mean loss of its cells: a cell loses the share of the column's public domain its value covers
 * ({@link Generalization#loss}, the normalized certainty penalty), and a band of numbers or dates at least the
 * share of the sample's rows in the band; a suppressed row loses every known cell, and a level that shows nothing
 * (a band over the whole public domain, or one value over the sample) loses 1, as an empty column does. The second term is why a band of
 * 200,000 over public bounds [0, 1,000,000] is no bargain when it holds 99% of the sample's incomes: measured on
 * the public domain alone it cost 0.2 and the search took it, which in effect emptied the column. Greedy generalization (Datafly) instead coarsens the column with the most
 * values, whatever it costs, and on {@code residents} empties district and birth date.
 *
 * <p>The search runs on the driver over the sample's distinct combinations of known values, privacy unit and
 * sensitive values (a masked sample is a few thousand people); a sample too large for that is left to the
 * caller's greedy fallback. A lattice too large to enumerate (eleven known columns of {@code patients} make
 * billions of nodes) is searched by a climb and a descent that find a local optimum of the same loss. Spark recounts the classes of the chosen levels and suppresses what the
 * rule requires, so the search only chooses levels and never decides what is released.
 */
final class LatticeSearch {
    /** Distinct combinations collected to the driver at most. */
    static final int MAX_COMBINATIONS = 200_000;
    /** Nodes times combinations evaluated at most (about a few seconds on one core). */
    static final long MAX_WORK = 20_000_000L;
    private static final String ROWS = "__rows";

    private LatticeSearch() {
    }

    /** The levels of least loss, or empty when the sample or the lattice is too large to search here. */
    static Optional<Map<String, Integer>> best(Dataset<Row> masked, AnonymitySpec spec, long rows) {
        List<String> known = new ArrayList<>(spec.known().keySet());
        if (known.isEmpty()) {
            return Optional.empty();
        }
        long nodes = 1;
        for (String name : known) {
            nodes = Math.min(Long.MAX_VALUE / 64, nodes * (spec.known().get(name).levels() + 1));
        }
        List<Column> keys = new ArrayList<>();
        known.forEach(n -> keys.add(col(n)));
        keys.add(col(spec.unit()));
        spec.sensitive().forEach(n -> keys.add(col(n)));
        // sorted by content: the search's ties and sums then follow the rows, never the order a layout delivers them in
        List<Row> combinations = masked.groupBy(keys.toArray(Column[]::new)).count().withColumnRenamed("count", ROWS)
                .orderBy(keys.toArray(Column[]::new)).limit(MAX_COMBINATIONS + 1).collectAsList();
        if (combinations.size() > MAX_COMBINATIONS) {
            return Optional.empty();
        }
        Lattice lattice = new Lattice(spec, known, combinations, rows);
        boolean exhaustive = nodes <= MAX_WORK / Math.max(1, combinations.size());
        return Optional.of(lattice.levels(lattice.shown(exhaustive ? lattice.exhaustive() : lattice.heuristic())));
    }

    /** The collected combinations with every column's key at every level, computed once. */
    private static final class Lattice {
        private final AnonymitySpec spec;
        private final List<String> known;
        private final int[] heights;
        private final Object[][][] keys; // [column][level][combination]
        private final double[][][] cellLoss; // [column][level][combination]
        /** Whether a level shows nothing: removed, a band over the whole public domain, or one value over the sample. */
        private final boolean[][] blank; // [column][level]
        private final Object[] units;
        private final Object[][] sensitive; // [combination][sensitive column]
        private final long[] counts;
        private final long allowed;

        Lattice(AnonymitySpec spec, List<String> known, List<Row> combinations, long rows) {
            this.spec = spec;
            this.allowed = (long) Math.floor(spec.maxSuppressedShare() * rows);
            this.known = known;
            int n = combinations.size();
            heights = new int[known.size()];
            keys = new Object[known.size()][][];
            for (int c = 0; c < known.size(); c++) {
                Generalization ladder = spec.known().get(known.get(c));
                heights[c] = ladder.levels();
                keys[c] = new Object[ladder.levels() + 1][n];
                for (int level = 0; level <= ladder.levels(); level++) {
                    for (int i = 0; i < n; i++) {
                        keys[c][level][i] = ladder.key(combinations.get(i).get(c), level);
                    }
                }
            }
            units = new Object[n];
            sensitive = new Object[n][spec.sensitive().size()];
            counts = new long[n];
            for (int i = 0; i < n; i++) {
                Row row = combinations.get(i);
                units[i] = row.get(known.size());
                for (int s = 0; s < spec.sensitive().size(); s++) {
                    sensitive[i][s] = row.get(known.size() + 1 + s);
                }
                counts[i] = row.getLong(row.size() - 1);
            }
            cellLoss = new double[known.size()][][];
            blank = new boolean[known.size()][];
            for (int c = 0; c < known.size(); c++) {
                Generalization ladder = spec.known().get(known.get(c));
                cellLoss[c] = new double[ladder.levels() + 1][];
                blank[c] = new boolean[ladder.levels() + 1];
                for (int level = 0; level <= ladder.levels(); level++) {
                    // a column that cannot be coarsened here (released by a linked table) is never priced as removed
                    blank[c][level] = heights[c] > 0 && (level == heights[c] || ladder.loss(level) >= 1 || !twoValues(keys[c][level]));
                    cellLoss[c][level] = blank[c][level] ? ones(n)
                            : cellLoss(keys[c][level], ladder.loss(level), ladder.banded(level));
                }
            }
        }

        /**
         * Each combination's loss in one column at one level: the level's public loss, for a band at least the
         * share of the sample's rows in the same band (a band most people share tells little about anyone); no
         * value loses 1.
         */
        private double[] cellLoss(Object[] levelKeys, double publicLoss, boolean banded) {
            Map<Object, Long> rowsPerValue = new HashMap<>();
            long total = 0;
            for (int i = 0; i < levelKeys.length; i++) {
                total += counts[i];
                if (levelKeys[i] != null) {
                    rowsPerValue.merge(levelKeys[i], counts[i], Long::sum);
                }
            }
            double[] loss = new double[levelKeys.length];
            for (int i = 0; i < levelKeys.length; i++) {
                loss[i] = levelKeys[i] == null ? 1 : !banded ? publicLoss
                        : Math.max(publicLoss, (double) rowsPerValue.get(levelKeys[i]) / Math.max(1, total));
            }
            return loss;
        }

        private static boolean twoValues(Object[] levelKeys) {
            Object first = null;
            for (Object key : levelKeys) {
                if (key != null) {
                    if (first == null) {
                        first = key;
                    } else if (!first.equals(key)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static double[] ones(int n) {
            double[] loss = new double[n];
            java.util.Arrays.fill(loss, 1);
            return loss;
        }

        /** Every node in turn (levels as a mixed-radix counter); ties go to the first found, the least generalized. */
        int[] exhaustive() {
            int[] levels = new int[known.size()];
            int[] best = null;
            double bestLoss = Double.MAX_VALUE;
            do {
                double loss = evaluate(levels).loss();
                if (loss < bestLoss) {
                    bestLoss = loss;
                    best = levels.clone();
                }
            } while (next(levels));
            return best;
        }

        /**
         * A lattice too large to enumerate: climb from the bottom, one column one step at a time, taking the
         * step that removes the most rows from small classes per loss it adds, until the rule holds; then descend
         * while a step down (or a step down of one column paid by a step up of another) keeps the rule and
         * lowers the loss. A local optimum, in about (columns x levels)^2 evaluations.
         */
        int[] heuristic() {
            int[] node = new int[known.size()];
            Evaluation current = evaluate(node);
            while (current.suppressed() > allowed) {
                int bestColumn = -1;
                double bestScore = Double.NEGATIVE_INFINITY;
                double bestAdded = Double.MAX_VALUE;
                Evaluation bestEvaluation = null;
                for (int c = 0; c < node.length; c++) {
                    if (node[c] >= heights[c]) {
                        continue;
                    }
                    node[c]++;
                    Evaluation candidate = evaluate(node);
                    node[c]--;
                    double added = candidate.perRow() - current.perRow();
                    double score = (current.suppressed() - candidate.suppressed()) / (added + 1e-6);
                    if (score > bestScore || score == bestScore && added < bestAdded) {
                        bestScore = score;
                        bestAdded = added;
                        bestColumn = c;
                        bestEvaluation = candidate;
                    }
                }
                if (bestColumn < 0) {
                    return null; // every column is empty and the rule still fails: suppression decides
                }
                node[bestColumn]++;
                current = bestEvaluation;
            }
            boolean improved = true;
            while (improved) {
                improved = false;
                int[] best = null;
                double bestLoss = current.loss();
                for (int down = 0; down < node.length; down++) {
                    if (node[down] == 0) {
                        continue;
                    }
                    for (int up = -1; up < node.length; up++) {
                        if (up == down || up >= 0 && node[up] >= heights[up]) {
                            continue;
                        }
                        int[] candidate = node.clone();
                        candidate[down]--;
                        if (up >= 0) {
                            candidate[up]++;
                        }
                        double loss = evaluate(candidate).loss();
                        if (loss < bestLoss) {
                            bestLoss = loss;
                            best = candidate;
                        }
                    }
                }
                if (best != null) {
                    node = best;
                    current = evaluate(node);
                    improved = true;
                }
            }
            return node;
        }

        /**
         * No column is emptied where a level that shows it would do, and none is shown in effect empty. A column
         * shows nothing at a level that is removed, a band over its whole public domain, or leaves one value over
         * the rows the node keeps (ages in bands of 200 years, a 0/1 flag in bands of 2): such a column counts as
         * emptied. Emptied columns are brought back one at a time, the cheapest first: of every emptied column at
         * every level that shows at least two values over the kept rows and keeps the rule with the other columns
         * as chosen, the one whose node has the least loss is restored, then the rest are weighed again against it;
         * ties go to the column first in the policy. The order thus follows the data, the policy and the key only:
         * restoring in policy order let the columns named first use up the room k and l leave (on the demo's
         * residents district and birth date left income nothing but its removed level in some scenarios' samples).
         * The columns that still show nothing are removed. The search alone may trade a column for a little less
         * loss elsewhere (on {@code patients} it emptied age, kappa, mgus and death while coarser levels of them
         * kept k and l). Removing a column that shows one value only merges classes, so the rule still holds.
         */
        int[] shown(int[] node) {
            if (node == null) {
                return null;
            }
            int[] result = node.clone();
            emptyBlank(result);
            // each round restores one column; one restored may blank another, so a bound keeps a cycle finite
            for (int round = 0; round < (result.length + 1) * (result.length + 1); round++) {
                int bestColumn = -1;
                int bestLevel = -1;
                double bestLoss = Double.MAX_VALUE;
                for (int c = 0; c < result.length; c++) {
                    if (heights[c] == 0 || result[c] < heights[c]) {
                        continue;
                    }
                    for (int level = heights[c] - 1; level >= 0; level--) {
                        if (blank[c][level]) {
                            continue;
                        }
                        result[c] = level;
                        Evaluation evaluation = evaluate(result);
                        // loss is MAX_VALUE when the level leaves too many rows in small classes
                        if (evaluation.shows()[c] && evaluation.loss() < bestLoss) {
                            bestLoss = evaluation.loss();
                            bestColumn = c;
                            bestLevel = level;
                        }
                    }
                    result[c] = heights[c];
                }
                if (bestColumn < 0) {
                    break;
                }
                result[bestColumn] = bestLevel;
                emptyBlank(result);
            }
            emptyBlank(result);
            return result;
        }

        /** Every column that shows fewer than two values over the node's kept rows goes to its removed level. */
        private void emptyBlank(int[] node) {
            Evaluation evaluation = evaluate(node);
            for (int c = 0; c < node.length; c++) {
                if (heights[c] > 0 && !evaluation.shows()[c]) {
                    node[c] = heights[c];
                }
            }
        }

        /** The chosen levels by column; no valid node at all (every column emptied still fails) empties them all. */
        Map<String, Integer> levels(int[] node) {
            Map<String, Integer> chosen = new LinkedHashMap<>();
            for (int c = 0; c < known.size(); c++) {
                chosen.put(known.get(c), node == null ? heights[c] : node[c]);
            }
            return chosen;
        }

        private boolean next(int[] levels) {
            for (int c = 0; c < levels.length; c++) {
                if (levels[c] < heights[c]) {
                    levels[c]++;
                    return true;
                }
                levels[c] = 0;
            }
            return false;
        }

        /** The node's classes: the rows they leave to suppress, and the loss over every known cell. */
        private Evaluation evaluate(int[] levels) {
            Map<List<Object>, ClassStats> classes = new HashMap<>();
            for (int i = 0; i < counts.length; i++) {
                List<Object> key = new ArrayList<>(levels.length);
                for (int c = 0; c < levels.length; c++) {
                    key.add(keys[c][levels[c]][i]);
                }
                double rowLoss = 0;
                for (int c = 0; c < levels.length; c++) {
                    rowLoss += cellLoss[c][levels[c]][i];
                }
                classes.computeIfAbsent(key, k -> new ClassStats(spec.sensitive().size()))
                        .add(units[i], sensitive[i], counts[i], rowLoss * counts[i]);
            }
            long suppressed = 0;
            long kept = 0;
            double keptLoss = 0;
            Object[] firstValue = new Object[levels.length];
            boolean[] shows = new boolean[levels.length];
            for (Map.Entry<List<Object>, ClassStats> entry : classes.entrySet()) {
                ClassStats stats = entry.getValue();
                if (stats.valid(spec.k(), spec.l())) {
                    kept += stats.rows;
                    keptLoss += stats.loss;
                    for (int c = 0; c < levels.length; c++) {
                        Object value = entry.getKey().get(c);
                        if (value != null && firstValue[c] == null) {
                            firstValue[c] = value;
                        } else if (value != null && !firstValue[c].equals(value)) {
                            shows[c] = true;
                        }
                    }
                } else {
                    suppressed += stats.rows;
                }
            }
            double perRow = kept == 0 ? levels.length : keptLoss / kept;
            double loss = suppressed > allowed ? Double.MAX_VALUE : keptLoss + suppressed * (double) levels.length;
            return new Evaluation(suppressed, perRow, loss, shows);
        }
    }

    /**
     * @param suppressed rows in classes that break the rule
     * @param perRow the mean loss of a kept row's known cells
     * @param loss over every known cell of the sample, suppressed rows losing all; MAX_VALUE when the node
     *     suppresses more than allowed
     * @param shows per column, whether the kept rows hold at least two of its values
     */
    private record Evaluation(long suppressed, double perRow, double loss, boolean[] shows) {
    }

    /**
     * A class's people, rows and, per sensitive column, the people holding each value (nulls are no value, as
     * Spark counts them): diversity is counted per person, so one person's rows add people to no value.
     */
    private static final class ClassStats {
        private final Set<Object> people = new HashSet<>();
        private final List<Map<Object, Set<Object>>> holders = new ArrayList<>();
        private long rows;
        private double loss;

        ClassStats(int sensitive) {
            for (int s = 0; s < sensitive; s++) {
                holders.add(new HashMap<>());
            }
        }

        void add(Object unit, Object[] sensitive, long count, double cellsLost) {
            if (unit != null) {
                people.add(unit);
            }
            for (int s = 0; s < sensitive.length; s++) {
                if (sensitive[s] != null) {
                    holders.get(s).computeIfAbsent(sensitive[s], v -> new HashSet<>()).add(unit);
                }
            }
            rows += count;
            loss += cellsLost;
        }

        boolean valid(int k, int l) {
            if (people.size() < k) {
                return false;
            }
            for (Map<Object, Set<Object>> values : holders) {
                if (values.size() < l) {
                    return false;
                }
                if (l >= 2 && values.values().stream().anyMatch(h -> h.size() >= people.size())) {
                    return false; // every person holds this value: the attacker learns it for sure
                }
            }
            return true;
        }
    }
}
