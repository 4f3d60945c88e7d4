package org.datasandbox.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.guard.explain.Decision;
import org.junit.jupiter.api.Test;

/**
 * The guard's reading of literal patterns against Spark's own: for generated LIKE patterns (with a custom
 * ESCAPE and with Spark's default backslash) and RLIKE patterns, the guard allows a query using the pattern
 * in a cell exactly when Spark accepts the pattern, so that no allowed job fails on it when one person's row
 * reaches it. Spark is asked directly, on a literal, and knows nothing of the guard's rules.
 */
class LiteralPatternOracleTest {
    private static final String ALPHABET = "a#%_\\";

    @Test
    void guard_literalPatterns_allowExactlyWhatSparkAccepts() {
        OracleFixture f = OracleFixture.get();
        SparkSession spark = f.oracle.worlds().spark();
        Random random = new Random(11);
        Set<String> patterns = new LinkedHashSet<>();
        while (patterns.size() < 60) {
            StringBuilder p = new StringBuilder();
            int length = 1 + random.nextInt(4);
            for (int i = 0; i < length; i++) {
                p.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            patterns.add(p.toString());
        }
        List<String> disagreements = new ArrayList<>();
        int accepted = 0;
        for (String pattern : patterns) {
            // Spark SQL text of the pattern: the guard refuses every backslash escape, so a pattern with a
            // backslash is written escaped for Spark and must be refused whatever Spark makes of it
            String literal = "'" + pattern.replace("\\", "\\\\") + "'";
            for (String form : List.of("LIKE " + literal + " ESCAPE '#'", "LIKE " + literal)) {
                boolean sparkAccepts = accepts(spark, "SELECT 'a%b' " + form);
                boolean backslash = pattern.indexOf('\\') >= 0;
                Decision decision = f.guard.check("SELECT gender, COUNT(*) FILTER (WHERE diagnosis " + form
                        + ") AS n FROM people GROUP BY gender", f.scenario);
                accepted += decision.isAllowed() ? 1 : 0;
                if (decision.isAllowed() && (!sparkAccepts || backslash)
                        || !decision.isAllowed() && sparkAccepts && !backslash) {
                    disagreements.add(form + ": guard " + (decision.isAllowed() ? "allows" : "refuses " + decision.violations())
                            + ", Spark " + (sparkAccepts ? "accepts" : "rejects"));
                }
            }
        }
        System.out.printf("literal pattern oracle: %d patterns, %d forms allowed, %d disagreements%n", patterns.size(),
                accepted, disagreements.size());
        disagreements.forEach(d -> System.out.println("  DISAGREE " + d));
        assertThat(accepted).isGreaterThan(10);
        assertThat(disagreements).isEmpty();
    }

    private static boolean accepts(SparkSession spark, String sql) {
        try {
            spark.sql(sql).collectAsList();
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
