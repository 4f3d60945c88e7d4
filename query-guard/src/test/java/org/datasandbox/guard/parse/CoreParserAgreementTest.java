package org.datasandbox.guard.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.util.Litmus;
import org.datasandbox.guard.GuardCorpus;
import org.junit.jupiter.api.Test;

/**
 * The parser's fast path: the core parser is tried before Babel's. Over every query of the guard corpus and
 * the golden files (analyst queries and attacks), wherever the core parser reads a query its tree must be
 * Babel's, node for node and position for position; where it cannot, Babel decides as before.
 */
class CoreParserAgreementTest {

    @Test
    void parse_corpusAndGoldenQueries_coreTreeEqualsBabelTreeWheneverCoreReadsIt() throws IOException {
        List<String> queries = queries();
        int coreRead = 0;
        List<String> disagreements = new ArrayList<>();
        for (String sql : queries) {
            SqlNode core;
            try {
                core = SparkSqlParser.parseWith(sql, true);
            } catch (SqlParseException | RuntimeException e) {
                continue; // Babel alone decides this one
            }
            coreRead++;
            SqlNode babel;
            try {
                babel = SparkSqlParser.parseWith(sql, false);
            } catch (SqlParseException | RuntimeException e) {
                disagreements.add("Babel refuses what the core parser reads: " + sql);
                continue;
            }
            if (!core.equalsDeep(babel, Litmus.IGNORE) || !core.toString().equals(babel.toString())
                    || !core.getParserPosition().equals(babel.getParserPosition())) {
                disagreements.add(sql);
            }
        }
        System.out.printf("core parser agreement: %d queries, %d read by the core parser, %d disagreements%n",
                queries.size(), coreRead, disagreements.size());
        assertThat(queries).hasSizeGreaterThan(300);
        assertThat(coreRead).as("queries the fast path serves").isGreaterThan(queries.size() / 2);
        assertThat(disagreements).isEmpty();
    }

    @Test
    void parseQuery_babelOnlySyntax_stillParses() {
        // a word Calcite's core grammar reserves and Babel's does not, and Spark's LEFT SEMI JOIN
        assertThat(SparkSqlParser.parseQuery("SELECT value FROM t").toString()).contains("`value`");
        assertThat(SparkSqlParser.parseQuery("SELECT a FROM t LEFT SEMI JOIN u ON t.a = u.a").toString())
                .containsIgnoringCase("semi");
    }

    @Test
    void hasBabelOnlyWord_wordsCoreReservesAndBabelJoins_sendTheQueryStraightToBabel() {
        assertThat(SparkSqlParser.hasBabelOnlyWord("SELECT sex, COUNT(*) FROM arrests WHERE year >= 2000 GROUP BY sex"))
                .isTrue();
        assertThat(SparkSqlParser.hasBabelOnlyWord("SELECT a FROM t LEFT SEMI JOIN u ON t.a = u.a")).isTrue();
        assertThat(SparkSqlParser.hasBabelOnlyWord("SELECT `Value` FROM t")).isTrue();
        assertThat(SparkSqlParser.hasBabelOnlyWord("SELECT years, yearly, year_of_birth FROM t")).isFalse();
        assertThat(SparkSqlParser.hasBabelOnlyWord(
                "SELECT district, COUNT(*) AS n, AVG(income) AS avg_income FROM residents GROUP BY district")).isFalse();
    }

    private static List<String> queries() throws IOException {
        List<String> queries = new ArrayList<>();
        GuardCorpus.load().forEach(entry -> queries.add(entry.sql()));
        Path golden = Path.of("src/test/resources/golden");
        try (Stream<Path> files = Files.walk(golden)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i + 1 < lines.size(); i++) {
                    if (lines.get(i).startsWith("### ")) {
                        queries.add(lines.get(i + 1));
                    }
                }
            }
        }
        return queries;
    }
}
