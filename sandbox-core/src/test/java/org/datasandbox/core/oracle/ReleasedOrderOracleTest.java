package org.datasandbox.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.Violation;
import org.junit.jupiter.api.Test;

/**
 * The order of released rows, threshold mode. The rule (README "What the guard enforces"): the released rows' order
 * may depend only on released values; otherwise the guard orders them itself. Judged by an oracle that knows no
 * ordering rule and no rewrite: worlds that hold the same people with the same values, only stored in another order
 * (every table reversed; every table shuffled, seeded), release every value alike, so every allowed query must
 * release the same rows in the same order in all of them; an order taken from the storage (ties of an
 * {@code ORDER BY} broken by the order rows were read, a {@code LIMIT} keeping whichever tied rows came first)
 * differs. Queries: seeded {@code ORDER BY} over aggregate values with many ties (rare cells, small counts, two
 * keys), with and without {@code LIMIT}, a {@code LIMIT} with no order, and the ordered shapes of
 * {@link GrammarSqlGenerator#generateNested}. The number of queries is {@code -Doracle.order.queries}, the seed
 * {@code -Doracle.order.seed}.
 */
class ReleasedOrderOracleTest {
    static final int QUERIES = Integer.getInteger("oracle.order.queries", 12);
    static final long SEED = Long.getLong("oracle.order.seed", 26L);

    private static final List<String[]> GROUPS = List.of(
            new String[] {"people", "district", "income"}, new String[] {"people", "district, gender", "income"},
            new String[] {"people", "diagnosis", "income"}, new String[] {"visits", "hospital", "cost"},
            new String[] {"visits", "hospital, icd10", "cost"}, new String[] {"labs", "test", "result"});

    static List<String> queries(long seed, int count) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] g = GROUPS.get(random.nextInt(GROUPS.size()));
            String value = switch (random.nextInt(4)) {
                case 0 -> "COUNT(*) FILTER (WHERE " + g[2] + " > " + (g[2].equals("result") ? "18" : "9000") + ")";
                case 1 -> "COUNT(*) > 10";
                case 2 -> "COUNT(*) FILTER (WHERE " + g[2] + " > " + (g[2].equals("result") ? "9" : "4500") + ")";
                default -> "COUNT(DISTINCT pid)";
            };
            String select = "SELECT " + g[1] + ", " + value + " AS v FROM " + g[0] + " GROUP BY " + g[1];
            out.add(switch (random.nextInt(4)) {
                case 0 -> select + " ORDER BY v" + (random.nextBoolean() ? " DESC" : "");
                case 1 -> select + " ORDER BY v DESC LIMIT " + (1 + random.nextInt(2));
                case 2 -> select + " LIMIT " + (1 + random.nextInt(2));
                default -> "SELECT " + g[1] + " FROM " + g[0] + " GROUP BY " + g[1] + " ORDER BY " + value
                        + (random.nextBoolean() ? " LIMIT 2" : "");
            });
        }
        new GrammarSqlGenerator(seed).generateNested(4 * count).stream().filter(GrammarSqlGenerator.Nested::ordered)
                .limit(Math.max(1, count / 4)).forEach(n -> out.add(n.sql()));
        return out;
    }

    @Test
    void guard_orderedReleases_areTheSameWhateverTheOrderTheRowsAreStoredIn() {
        OracleFixture f = OracleFixture.get();
        OracleData data = f.data;
        Random random = new Random(SEED);
        OracleData reversed = new OracleData(reverse(data.people()), reverse(data.visits()), reverse(data.labs()));
        OracleData shuffled = new OracleData(shuffle(data.people(), random), shuffle(data.visits(), random),
                shuffle(data.labs(), random));
        SparkWorlds worlds = new SparkWorlds(f.oracle.worlds().spark().newSession(), List.of(data, reversed, shuffled));
        List<Integer> all = List.of(0, 1, 2);
        List<String> findings = new ArrayList<>();
        Map<String, Integer> refusals = new TreeMap<>();
        int allowed = 0;
        List<String> queries = queries(SEED, QUERIES);
        for (String sql : queries) {
            Decision decision = f.guard.check(sql, f.scenario);
            if (!decision.isAllowed()) {
                decision.violations().stream().map(Violation::rule).forEach(r -> refusals.merge(r.name(), 1, Integer::sum));
                continue;
            }
            allowed++;
            Map<Integer, SparkWorlds.Outcome> released = worlds.run(decision.rewrittenSql().orElseThrow(), all, true);
            for (int w : all.subList(1, all.size())) {
                if (!released.get(w).equals(released.get(0))) {
                    findings.add(sql + "\n    stored in order " + w + " it releases " + released.get(w).rows()
                            + ", as stored " + released.get(0).rows());
                    break;
                }
            }
        }
        System.out.printf("released order oracle: %d queries (seed %d), %d allowed, %d refused %s, %d findings on %d"
                + " storage orders%n", queries.size(), SEED, allowed, queries.size() - allowed, refusals, findings.size(), all.size());
        findings.forEach(l -> System.out.println("FINDING " + l));
        assertThat(allowed).as("ordered queries allowed").isGreaterThanOrEqualTo(queries.size() / 2);
        assertThat(findings).as("released orders that follow the storage order").isEmpty();
    }

    private static <T> List<T> reverse(List<T> rows) {
        List<T> out = new ArrayList<>(rows);
        Collections.reverse(out);
        return out;
    }

    private static <T> List<T> shuffle(List<T> rows, Random random) {
        List<T> out = new ArrayList<>(rows);
        Collections.shuffle(out, random);
        return out;
    }
}
