package org.datasandbox.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.Violation;
import org.junit.jupiter.api.Test;

/**
 * Ranks and orderings over aggregate values in threshold mode. The rule (README "Red-team oracles"): a rank, a
 * row number, a tile or a top-n {@code LIMIT} over groups is computed from the groups' values, so it is released only
 * as post-processing of cells the guard releases on their own: it must read each value as released (a suppressed
 * cell as NULL, never its hidden value) and be a function of those released cells alone, ties included. It then tells
 * nothing that the released cells do not, which the developer can ask for and rank themselves; it is allowed.
 *
 * <p>Judged by two oracles that know nothing of ranks, on seeded queries that rank the groups of each table by each
 * kind of aggregate (counts of rows and of people, sums, averages, a rare cell) with every ranking function, with and
 * without a tie-break on the group key, and top-n orderings: (1) the perturb-one-person oracle
 * ({@link PerturbationOracle}) on the cells the rank reads (the same query releasing the key and the value), every
 * cell moved by at least k people; (2) on D and on its 20 neighbours (each of the oracle's blocks of four people
 * removed, each changed), two worlds whose released cells are equal release equal ranks: a rank never moves
 * unless a released cell moves, so no tie made or broken below the threshold shows. For the record, the test also
 * counts the rank cells that fewer than k people move when the rank is judged as a cell of its own (a rank compares
 * cells, so the people of one group and not another move it): that is post-processing, not a finding.
 * The number of queries is {@code -Doracle.rank.queries}, the seed {@code -Doracle.rank.seed}.
 */
class RankTiesOracleTest {
    static final int QUERIES = Integer.getInteger("oracle.rank.queries", 8);
    static final long SEED = Long.getLong("oracle.rank.seed", 24L);
    /** Also judge each rank as a cell of its own, for the record ({@code -Doracle.rank.ownCells=true}). */
    static final boolean OWN_CELLS = Boolean.getBoolean("oracle.rank.ownCells");

    private static final List<String[]> GROUPS = List.of(
            new String[] {"people", "district", "income"}, new String[] {"people", "diagnosis", "income"},
            new String[] {"visits", "hospital", "cost"}, new String[] {"visits", "icd10", "cost"},
            new String[] {"labs", "test", "result"});
    private static final List<String> RANKINGS = List.of("RANK()", "DENSE_RANK()", "ROW_NUMBER()", "PERCENT_RANK()",
            "CUME_DIST()", "NTILE(2)");

    /** A rank query and the query releasing the cells it reads (key, value). */
    record RankCase(String sql, String cells) {
    }

    /** Seeded rank and top-n queries; the first column is the group key. */
    static List<RankCase> queries(long seed, int count) {
        Random random = new Random(seed);
        List<RankCase> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] g = GROUPS.get(random.nextInt(GROUPS.size()));
            String key = g[1];
            String value = switch (random.nextInt(5)) {
                case 0 -> "COUNT(*)";
                case 1 -> "COUNT(DISTINCT pid)";
                case 2 -> "SUM(" + g[2] + ")";
                case 3 -> "AVG(" + g[2] + ")";
                default -> "COUNT(*) FILTER (WHERE " + g[2] + " > " + (g[2].equals("result") ? "9" : "4500") + ")";
            };
            String cells = "SELECT " + key + ", " + value + " AS v FROM " + g[0] + " GROUP BY " + key;
            String order = value + (random.nextBoolean() ? " DESC" : "") + (random.nextInt(3) == 0 ? ", " + key : "");
            if (random.nextInt(4) == 0) {
                out.add(new RankCase(cells + " ORDER BY " + order + " LIMIT " + (1 + random.nextInt(2)), cells));
            } else {
                String ranking = RANKINGS.get(random.nextInt(RANKINGS.size()));
                String released = random.nextBoolean() ? ", " + value + " AS v" : "";
                out.add(new RankCase("SELECT " + key + released + ", " + ranking + " OVER (ORDER BY " + order
                        + ") AS r FROM " + g[0] + " GROUP BY " + key, cells));
            }
        }
        return out;
    }

    @Test
    void guard_ranksAndTopNOverAggregateValues_areFunctionsOfKBackedReleasedCellsOnEveryNeighbour() {
        OracleFixture f = OracleFixture.get();
        SparkWorlds worlds = f.oracle.worlds();
        // D and its block neighbours (each block of four people removed, each changed): one Spark job per query
        List<Integer> all = new ArrayList<>();
        for (int w = 0; w <= 2 * ((OracleFixture.PEOPLE + OracleFixture.BLOCK - 1) / OracleFixture.BLOCK); w++) {
            all.add(w);
        }
        List<String> findings = new ArrayList<>();
        Map<String, Integer> refusals = new TreeMap<>();
        int allowed = 0;
        int ownCellMoves = 0;
        List<RankCase> queries = queries(SEED, QUERIES);
        for (RankCase query : queries) {
            Decision decision = f.guard.check(query.sql(), f.scenario);
            if (!decision.isAllowed()) {
                decision.violations().stream().map(Violation::rule).forEach(r -> refusals.merge(r.name(), 1, Integer::sum));
                continue;
            }
            allowed++;
            Decision cells = f.guard.check(query.cells(), f.scenario);
            if (!cells.isAllowed()) {
                findings.add(query.sql() + "\n    ranks cells the guard does not release: " + query.cells());
                continue;
            }
            PerturbationOracle.Verdict inputs = f.oracle.judge(cells.rewrittenSql().orElseThrow(), 1);
            inputs.leaks().forEach(l -> findings.add(query.sql() + "\n    a cell it reads: " + l));
            if (OWN_CELLS) {
                ownCellMoves += f.oracle.judge(decision.rewrittenSql().orElseThrow(), 1).leaks().size();
            }
            Map<Integer, SparkWorlds.Outcome> released = worlds.run(cells.rewrittenSql().orElseThrow(), all, false);
            Map<Integer, SparkWorlds.Outcome> ranked = worlds.run(decision.rewrittenSql().orElseThrow(), all, false);
            Map<String, String> rankByCells = new HashMap<>();
            Map<String, Integer> firstWorld = new HashMap<>();
            for (int w : all) {
                String cellsSeen = sorted(released.get(w));
                String rankSeen = sorted(ranked.get(w));
                String before = rankByCells.putIfAbsent(cellsSeen, rankSeen);
                firstWorld.putIfAbsent(cellsSeen, w);
                if (before != null && !before.equals(rankSeen)) {
                    findings.add(query.sql() + "\n    worlds " + firstWorld.get(cellsSeen) + " and " + w + " release the"
                            + " same cells and different ranks: " + before + " / " + rankSeen);
                    break;
                }
            }
        }
        System.out.printf("rank ties oracle: %d queries (seed %d), %d allowed, %d refused %s, %d findings, %d worlds;"
                        + " judged as cells of their own, %d rank cells moved by fewer than k (post-processing)%n",
                queries.size(), SEED, allowed, queries.size() - allowed, refusals, findings.size(), all.size(), ownCellMoves);
        findings.forEach(l -> System.out.println("FINDING " + l));
        assertThat(allowed).as("rank queries allowed").isPositive();
        assertThat(findings).as("ranks that read what is not released, or move without a released cell").isEmpty();
    }

    /** A world's released rows as one text, in a fixed order (the set of rows, not their order, is compared). */
    private static String sorted(SparkWorlds.Outcome outcome) {
        if (outcome.failed()) {
            return "failure " + outcome.failure();
        }
        return outcome.rows().stream().map(Object::toString).sorted().toList().toString();
    }
}
