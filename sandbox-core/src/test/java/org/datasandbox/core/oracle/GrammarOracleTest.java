package org.datasandbox.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.datasandbox.guard.explain.Decision;
import org.datasandbox.guard.explain.Violation;
import org.junit.jupiter.api.Test;

/**
 * The red team's oracles over {@link GrammarSqlGenerator}'s queries, none of which knows an attack:
 * <ul>
 *   <li><b>neighbours</b>: every allowed query's rewrite runs on D and on D with one person removed or
 *       changed ({@link PerturbationOracle}); a released cell that 1 to k-1 people move, or a failure that
 *       anyone moves, is a leak;</li>
 *   <li><b>errors</b>: the guard decides every query without throwing, and its decision (outcome, rule,
 *       message, position) is a function of the SQL text and the catalog alone: the same on every
 *       neighbouring dataset (the guard sees no data; the runtime's failure is judged by the neighbours);</li>
 *   <li><b>exact answers</b>: every released row is a row of the query's own answer, computed without the
 *       guard by Spark and, when the query's SQL means the same in H2, by H2 (an engine that shares nothing
 *       with Spark, Calcite or the guard); a released non-NULL value equals the answer's, NULL is a
 *       suppressed cell.</li>
 * </ul>
 * The number of generated queries is {@code -Doracle.grammar.queries} (default: the CI size, seconds of
 * Spark), the seed {@code -Doracle.grammar.seed}.
 */
class GrammarOracleTest {
    static final int QUERIES = Integer.getInteger("oracle.grammar.queries", 250);
    static final long SEED = Long.getLong("oracle.grammar.seed", 21L);

    @Test
    void guard_grammarQueries_releaseNothingFewerThanKPeopleMoveAndOnlyTheExactAnswer() throws Exception {
        Tally tally = new Tally();
        OracleFixture f = OracleFixture.get();
        try (H2World h2 = new H2World(f.data)) {
            for (GrammarSqlGenerator.Query query : new GrammarSqlGenerator(SEED).generate(QUERIES)) {
                tally.judge(f, h2, query.sql(), query.keys(), query.shape(), query.h2Sql());
            }
        }
        tally.print("grammar oracle: " + QUERIES + " generated (seed " + SEED + ")");
        assertThat(tally.allowed).as("allowed generated queries").isGreaterThanOrEqualTo(QUERIES / 50);
        tally.assertClean();
    }

    /**
     * The red team's regression corpus ({@code oracle/red-team-regressions.txt}: the minimal query of every
     * finding, and the attacks tried that held), judged by the same oracles, not by expected answers.
     */
    @Test
    void guard_redTeamRegressions_releaseNothingFewerThanKPeopleMoveAndOnlyTheExactAnswer() throws Exception {
        Tally tally = new Tally();
        OracleFixture f = OracleFixture.get();
        List<String> lines;
        try (java.io.InputStream in = GrammarOracleTest.class.getResourceAsStream("/oracle/red-team-regressions.txt")) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
        PostProcessingOracle postProcessing = new PostProcessingOracle(f);
        try (H2World h2 = new H2World(f.data)) {
            for (String line : lines) {
                if (line.contains("|post-processing: ")) { // keys|shape|sql|cells|outer over t
                    String[] parts = line.split("\\|", 5);
                    tally.judgePostProcessing(f, postProcessing, parts[2], parts[3], Integer.parseInt(parts[0].trim()), parts[4]);
                    continue;
                }
                String[] parts = line.split("\\|", 3); // keys|shape|sql
                tally.judge(f, h2, parts[2], Integer.parseInt(parts[0].trim()), parts[1].trim(), null);
            }
        }
        tally.print("red-team regressions: " + lines.size() + " queries");
        postProcessing.notAnalyzable().forEach(q -> System.out.println("SPARK CANNOT ANALYZE THE OUTER COMPUTATION " + q));
        assertThat(tally.allowed).as("allowed regression queries").isGreaterThanOrEqualTo(lines.size() / 2);
        tally.assertClean();
    }

    /**
     * Shapes whose released values are computed over other released values, so by design not the query's
     * raw answer: windows over the thresholded groups, aggregates of aggregated rows, scalar sub-queries
     * (each thresholded on its own), MIN/MAX of a dimension (only values k people share, README).
     */
    private static final List<String> POST_PROCESSING = List.of("window over aggregates", "aggregate below",
            "scalar sub-query", "lateral", "post-processing", "min or max");

    /** What the oracles found over a set of queries. */
    private static final class Tally {
        final List<String> leaks = new ArrayList<>();
        final List<String> mismatches = new ArrayList<>();
        final List<String> crashes = new ArrayList<>();
        final List<String> sparkRejects = new ArrayList<>();
        final Map<String, Integer> refusals = new TreeMap<>();
        int queries;
        int allowed;
        int portable;
        int h2Failures;
        int worlds;
        int rows;

        /**
         * A computation over aggregate values, judged by the post-processing rule ({@link PostProcessingOracle}):
         * a finding there is a leak (it reads a value not released, or computes from more than the released rows).
         */
        void judgePostProcessing(OracleFixture f, PostProcessingOracle oracle, String sql, String cells, int cellKeys,
                                 String outer) {
            queries++;
            Decision decision = f.guard.check(sql, f.scenario);
            if (!decision.isAllowed()) {
                decision.violations().forEach(v -> refusals.merge(v.rule().name(), 1, Integer::sum));
                return;
            }
            allowed++;
            worlds += oracle.worlds();
            leaks.addAll(oracle.judge(decision, sql, cells, cellKeys, outer, false));
        }

        void judge(OracleFixture f, H2World h2, String sql, int keys, String shape, String h2Sql) throws Exception {
            queries++;
            Decision decision;
            try {
                decision = f.guard.check(sql, f.scenario);
            } catch (Throwable e) { // the guard must refuse, never throw
                crashes.add(sql + "\n    " + e.getClass().getName());
                return;
            }
            if (!decision.isAllowed()) {
                for (Violation v : decision.violations()) {
                    refusals.merge(v.rule().name(), 1, Integer::sum);
                }
                return;
            }
            allowed++;
            PerturbationOracle.Verdict verdict = f.oracle.judge(decision.rewrittenSql().orElseThrow(), keys);
            worlds += verdict.worldsRun();
            if (verdict.leaked()) {
                leaks.add("[" + shape + "] " + sql + "\n    " + String.join("\n    ", verdict.leaks()));
            }
            if (verdict.baseFailure() != null) {
                return; // a failure on D is judged by the neighbours (it must not move)
            }
            rows += verdict.released().size();
            org.apache.spark.sql.Dataset<Row> frame;
            List<Row> original;
            try {
                frame = f.oracle.worlds().spark().sql(sql);
                original = frame.collectAsList();
            } catch (Exception e) {
                // Spark's analyzer cannot resolve some ORDER BY / HAVING aggregates that the SQL standard
                // (and the guard) can; the guard runs its own plan, so only the comparison is lost
                sparkRejects.add(sql + "\n    " + e.getClass().getSimpleName() + ": "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                return;
            }
            List<org.apache.spark.sql.types.DataType> types = java.util.Arrays.stream(frame.schema().fields())
                    .map(org.apache.spark.sql.types.StructField::dataType).toList();
            if (!types.equals(verdict.types())) {
                mismatches.add("[types] " + sql + "\n    released " + verdict.types() + ", the query has " + types);
            }
            if (POST_PROCESSING.stream().anyMatch(shape::contains)) {
                return; // computed over released (thresholded) values, by design not the raw answer
            }
            List<List<Object>> spark = new ArrayList<>();
            for (Row row : original) {
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < row.length(); i++) {
                    values.add(row.get(i));
                }
                spark.add(values);
            }
            String sparkMismatch = released(verdict.released(), spark, keys);
            if (sparkMismatch != null) {
                mismatches.add("[Spark without the guard] " + sql + "\n    " + sparkMismatch);
            }
            if (h2Sql != null) {
                portable++;
                List<List<Object>> answer;
                try {
                    answer = h2Rows(h2, h2Sql);
                } catch (java.sql.SQLException e) { // H2 fails where Spark gives NULL (a division by zero)
                    h2Failures++;
                    return;
                }
                String h2Mismatch = released(verdict.released(), answer, keys);
                if (h2Mismatch != null) {
                    mismatches.add("[H2] " + sql + "\n    " + h2Mismatch);
                }
            }
        }

        void print(String title) {
            System.out.printf("%s: %d allowed (%d also run by H2, %d of them failing there), %d refused, %d guard crashes, %d leaks, %d mismatches,"
                            + " %d allowed that Spark cannot analyze as written; %d released rows, %d Spark worlds%n", title,
                    allowed, portable, h2Failures, queries - allowed - crashes.size(), crashes.size(), leaks.size(), mismatches.size(),
                    sparkRejects.size(), rows, worlds);
            System.out.println("refusals by rule: " + refusals);
            leaks.forEach(l -> System.out.println("LEAK " + l));
            mismatches.forEach(m -> System.out.println("MISMATCH " + m));
            crashes.forEach(c -> System.out.println("CRASH " + c));
            sparkRejects.forEach(c -> System.out.println("SPARK REJECTS THE ORIGINAL " + c));
        }

        void assertClean() {
            assertThat(leaks).as("released cells that fewer than k people move").isEmpty();
            assertThat(mismatches).as("released rows or types that are not the query's own answer").isEmpty();
            assertThat(crashes).as("queries on which the guard threw instead of refusing").isEmpty();
        }
    }

    private static List<List<Object>> h2Rows(H2World h2, String sql) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Statement statement = h2.connection().createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            int width = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= width; i++) {
                    row.add(rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /**
     * Null when every released row matches a distinct row of the answer: keys equal, every released
     * non-NULL value equal (numbers within 1e-9 relative), NULL outside the keys a suppressed cell.
     */
    static String released(List<List<String>> released, List<List<Object>> answer, int keys) {
        List<List<Object>> pool = new ArrayList<>(answer);
        for (List<String> row : released) {
            int match = -1;
            for (int i = 0; i < pool.size() && match < 0; i++) {
                if (matches(row, pool.get(i), keys)) {
                    match = i;
                }
            }
            if (match < 0) {
                return "released row " + row + " is not a row of the answer (" + answer.size() + " rows)";
            }
            pool.remove(match);
        }
        return null;
    }

    private static boolean matches(List<String> released, List<Object> answer, int keys) {
        if (released.size() != answer.size()) {
            return false;
        }
        for (int c = 0; c < released.size(); c++) {
            String r = released.get(c);
            Object a = answer.get(c);
            if (r.equals("NULL")) {
                if (a != null && c < keys) {
                    return false;
                }
                continue;
            }
            if (a == null) {
                return false;
            }
            String expected = SparkWorlds.normalize(a);
            if (r.equals(expected)) {
                continue;
            }
            try {
                BigDecimal x = new BigDecimal(r);
                BigDecimal y = new BigDecimal(expected);
                BigDecimal tolerance = x.abs().max(y.abs()).max(BigDecimal.ONE).multiply(new BigDecimal("1e-9"));
                if (x.subtract(y).abs().compareTo(tolerance) > 0) {
                    return false;
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }
}
