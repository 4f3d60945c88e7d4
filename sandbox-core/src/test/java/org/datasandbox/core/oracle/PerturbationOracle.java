package org.datasandbox.core.oracle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Judges one released query by its neighbours, knowing nothing of attacks.
 *
 * <p>The released output is a set of cells: each row is identified by its group key (the query's first
 * {@code keys} columns, plus an occurrence number among rows with the same key), and a cell is a released
 * value (row key, column), the presence of a row key, or the job's failure. A person p <em>moves</em> a
 * cell when, in one of p's neighbours (D without p and all of p's linked rows; D with p's measures
 * changed by a small step, {@link OracleData#changed}), the value of a row key present in both worlds differs;
 * the row key is present in one of D and D-without-p and not in the other; or the job fails in one world
 * and not in the other. The rule, the issue's principle read on the output: <b>every cell that some person
 * moves is moved by at least k distinct persons</b>, and <b>no person moves the failure</b> (a job's
 * failure must not depend on data). A value that depends on someone depends on at least k people.
 *
 * <p>Presence is judged on removals only: a group just below k appears when anyone joins it, so the set
 * of people who can make it appear is everyone, which a few sampled changes cannot enumerate. Values are
 * judged on removals and changes, so that people whose value happens to be 0 still count as contributors
 * (a change moves them) and an extreme is moved only by its holder. Ties are the limit of one-person
 * neighbours: an extreme shared by two people moves for neither, so the data has unique extremes.
 *
 * <p>Speed (one Spark job costs the same for one world or many, so the number of worlds is what counts):
 * group testing. People are split into blocks; each block is removed and changed as a whole first. A cell
 * that at least k blocks move has at least k movers (each moving block holds one). Only cells that 1 to
 * k-1 blocks move, and failures, are resolved person by person in those blocks. This assumes that a block
 * moves a cell only if one of its members does alone (no two people jointly, as a tie would): when it is
 * wrong, it finds more movers, never fewer, for the person-by-person step runs on every block that moved.
 */
final class PerturbationOracle {
    static final String PRESENT = "present";
    static final String FAILURE = "failure";
    private static final List<String> MEASURES = List.of("income", "cost", "result");

    private final SparkWorlds worlds;
    private final List<Long> persons;
    private final List<List<Long>> blocks;
    private final int k;

    /** One query's verdict: the cells that fewer than k people move. */
    record Verdict(List<String> leaks, int cells, int movedCells, int worldsRun, long millis, String baseFailure,
                   List<org.apache.spark.sql.types.DataType> types, List<List<String>> released) {
        Verdict {
            leaks = List.copyOf(leaks);
        }

        boolean leaked() {
            return !leaks.isEmpty();
        }
    }

    private PerturbationOracle(SparkWorlds worlds, List<Long> persons, int blockSize, int k) {
        this.worlds = worlds;
        this.persons = List.copyOf(persons);
        List<List<Long>> split = new ArrayList<>();
        for (int from = 0; from < persons.size(); from += blockSize) {
            split.add(List.copyOf(persons.subList(from, Math.min(persons.size(), from + blockSize))));
        }
        this.blocks = List.copyOf(split);
        this.k = k;
    }

    /**
     * The oracle over a dataset: registers its worlds in the session (0: D; then per block, block removed
     * and block changed; then per person, person removed and person changed).
     */
    static PerturbationOracle over(org.apache.spark.sql.SparkSession spark, OracleData data, int blockSize, int k) {
        List<Long> persons = data.people().stream().map(OracleData.Person::pid).toList();
        List<OracleData> all = new ArrayList<>();
        all.add(data);
        for (int from = 0; from < persons.size(); from += blockSize) {
            List<Long> block = persons.subList(from, Math.min(persons.size(), from + blockSize));
            OracleData removed = data;
            OracleData changed = data;
            for (long p : block) {
                removed = removed.without(p);
                changed = changed.changed(p);
            }
            all.add(removed);
            all.add(changed);
        }
        for (long p : persons) {
            all.add(data.without(p));
            all.add(data.changed(p));
        }
        return new PerturbationOracle(new SparkWorlds(spark, all), persons, blockSize, k);
    }

    SparkWorlds worlds() {
        return worlds;
    }

    private int blockWorld(int block, boolean removal) {
        return 1 + 2 * block + (removal ? 0 : 1);
    }

    private int personWorld(int person, boolean removal) {
        return 1 + 2 * blocks.size() + 2 * person + (removal ? 0 : 1);
    }

    /** Judges Spark SQL (the guard's rewrite) whose first {@code keys} output columns identify a row. */
    Verdict judge(String sql, int keys) {
        long start = System.nanoTime();
        SparkWorlds.Run base = worlds.base(sql);
        SparkWorlds.Outcome baseOutcome = base.outcomes().get(0);
        Map<List<String>, List<String>> baseCells = cells(baseOutcome, keys);
        // changes touch measures only: a query that reads none has nothing for them to move
        String lower = sql.toLowerCase(java.util.Locale.ROOT);
        boolean[] kinds = MEASURES.stream().anyMatch(lower::contains) ? new boolean[] {true, false} : new boolean[] {true};
        List<Integer> blockWorlds = new ArrayList<>();
        for (int b = 0; b < blocks.size(); b++) {
            for (boolean removal : kinds) {
                blockWorlds.add(blockWorld(b, removal));
            }
        }
        Map<Integer, SparkWorlds.Outcome> blockOutcomes = worlds.run(sql, blockWorlds, baseOutcome.failed());
        Map<String, Set<Integer>> blockMovers = new TreeMap<>();
        for (int b = 0; b < blocks.size(); b++) {
            for (boolean removal : kinds) {
                int block = b;
                compare(baseOutcome, baseCells, blockOutcomes.get(blockWorld(b, removal)), keys, removal,
                        (cell, example) -> blockMovers.computeIfAbsent(cell, c -> new TreeSet<>()).add(block));
            }
        }
        // resolve person by person the blocks that move a cell fewer than k blocks move, or the failure
        Set<Integer> suspectBlocks = new TreeSet<>();
        blockMovers.forEach((cell, moving) -> {
            if (cell.equals(FAILURE) || moving.size() < k) {
                suspectBlocks.addAll(moving);
            }
        });
        List<Integer> personWorlds = new ArrayList<>();
        for (int b : suspectBlocks) {
            for (long p : blocks.get(b)) {
                for (boolean removal : kinds) {
                    personWorlds.add(personWorld(persons.indexOf(p), removal));
                }
            }
        }
        boolean failures = baseOutcome.failed() || blockOutcomes.values().stream().anyMatch(SparkWorlds.Outcome::failed);
        Map<Integer, SparkWorlds.Outcome> personOutcomes = worlds.run(sql, personWorlds, failures);
        Map<String, Set<Long>> movers = new TreeMap<>();
        Map<String, String> examples = new HashMap<>();
        for (int b : suspectBlocks) {
            for (long p : blocks.get(b)) {
                for (boolean removal : kinds) {
                    compare(baseOutcome, baseCells, personOutcomes.get(personWorld(persons.indexOf(p), removal)), keys,
                            removal, (cell, example) -> {
                                movers.computeIfAbsent(cell, c -> new TreeSet<>()).add(p);
                                examples.putIfAbsent(cell, (removal ? "removing " : "changing ") + p + ": " + example);
                            });
                }
            }
        }
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, Set<Integer>> cell : blockMovers.entrySet()) {
            boolean resolved = cell.getKey().equals(FAILURE) || cell.getValue().size() < k;
            if (!resolved) {
                continue;
            }
            Set<Long> people = movers.getOrDefault(cell.getKey(), Set.of());
            boolean leak = cell.getKey().equals(FAILURE) ? !people.isEmpty() : !people.isEmpty() && people.size() < k;
            if (leak) {
                leaks.add(cell.getKey() + " moved by " + people.size() + " person(s) " + people + ", e.g. "
                        + examples.get(cell.getKey()));
            }
        }
        int cellCount = baseCells.values().stream().mapToInt(v -> v.size() + 1).sum() + 1;
        return new Verdict(leaks, cellCount, blockMovers.size(), 1 + blockWorlds.size() + personWorlds.size(),
                (System.nanoTime() - start) / 1_000_000, baseOutcome.failed() ? baseOutcome.failure() : null,
                base.types(), baseOutcome.rows());
    }

    /** Receives each cell that a neighbour moves, with what moved. */
    private interface Moves {
        void moved(String cell, String example);
    }

    private static void compare(SparkWorlds.Outcome base, Map<List<String>, List<String>> baseCells,
                                SparkWorlds.Outcome other, int keys, boolean removal, Moves moves) {
        if (base.failed() != other.failed()) {
            moves.moved(FAILURE, base.failed() ? base.failure() + " -> success" : "success -> " + other.failure());
            return;
        }
        if (base.failed()) {
            return;
        }
        Map<List<String>, List<String>> otherCells = cells(other, keys);
        Set<List<String>> allKeys = new TreeSet<>(Comparator.comparing(Object::toString));
        allKeys.addAll(baseCells.keySet());
        allKeys.addAll(otherCells.keySet());
        for (List<String> key : allKeys) {
            List<String> a = baseCells.get(key);
            List<String> b = otherCells.get(key);
            if (a == null || b == null) {
                if (removal) {
                    moves.moved("row " + key + " " + PRESENT, a == null ? "the row appears" : "the row disappears");
                }
                continue;
            }
            for (int c = 0; c < a.size(); c++) {
                if (!Objects.equals(a.get(c), b.get(c))) {
                    moves.moved("row " + key + " column " + (keys + c + 1), a.get(c) + " -> " + b.get(c));
                }
            }
        }
    }

    /** Row key (key columns plus occurrence number) to the row's other values. */
    private static Map<List<String>, List<String>> cells(SparkWorlds.Outcome outcome, int keys) {
        List<List<String>> rows = new ArrayList<>(outcome.rows());
        rows.sort(Comparator.comparing(Object::toString));
        Map<List<String>, List<String>> out = new LinkedHashMap<>();
        Map<List<String>, Integer> seen = new LinkedHashMap<>();
        for (List<String> row : rows) {
            int width = Math.min(keys, row.size());
            List<String> key = new ArrayList<>(row.subList(0, width));
            int occurrence = seen.merge(List.copyOf(key), 1, Integer::sum);
            key.add("#" + occurrence);
            out.put(List.copyOf(key), List.copyOf(row.subList(width, row.size())));
        }
        return out;
    }
}
