package org.datasandbox.core.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.core.release.ArrowResults;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.ColumnType;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.JoinKey;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;
import org.junit.jupiter.api.Test;

/**
 * A table with more rows than the report reads is not traced at all: the regrouping by person would cost a
 * shuffle of every row and its answer would be discarded. A table within the limit is traced (its query runs).
 */
class DisclosureAnalyzerSizeTest {
    private static final GuardTable PEOPLE = new GuardTable("people", List.of(
            GuardColumn.of("pid", ColumnType.BIGINT, ColumnRole.PRIVACY_UNIT),
            GuardColumn.of("district", ColumnType.STRING, ColumnRole.DIMENSION)));
    private static final GuardCatalog CATALOG = new GuardCatalog() {
        @Override
        public Optional<GuardTable> table(String name) {
            return name.equalsIgnoreCase("people") ? Optional.of(PEOPLE) : Optional.empty();
        }

        @Override
        public List<JoinKey> joinKeys() {
            return List.of();
        }
    };
    private static final Scenario SCENARIO = new Scenario("s", Map.of("people", Set.of("pid", "district")),
            OutputMode.THRESHOLD, 5);
    private static final String SQL = "SELECT district, COUNT(*) AS n FROM people GROUP BY district";

    private static byte[] output() {
        StructType schema = new StructType().add("district", DataTypes.StringType).add("n", DataTypes.LongType);
        return ArrowResults.encode(schema, List.of(RowFactory.create("a", 7L)));
    }

    private static List<String> queriesRun(long tableRows) {
        List<String> run = new ArrayList<>();
        DisclosureAnalyzer analyzer = new DisclosureAnalyzer(CATALOG, new ReleaseHistory(), new SecureRandom(),
                table -> tableRows);
        try {
            analyzer.analyse("job-1", SCENARIO, DisclosureSettings.defaults(5), SQL, Set.of(), OutputSource.of(output()), 1, sql -> {
                run.add(sql);
                throw new IllegalStateException("no Spark in this test"); // the analyzer reports it untraced
            });
        } catch (RuntimeException e) {
            throw new AssertionError("the analyzer must not throw", e);
        }
        return run;
    }

    @Test
    void analyse_tableAboveTheLimit_runsNoQuery() {
        assertThat(queriesRun(DisclosureAnalyzer.MAX_CONTRIBUTION_ROWS + 1L)).isEmpty();
    }

    @Test
    void analyse_tableWithinTheLimit_runsTheTracingQuery() {
        assertThat(queriesRun(DisclosureAnalyzer.MAX_CONTRIBUTION_ROWS)).hasSize(1);
    }

    @Test
    void analyse_tableAboveTheLimit_saysWhyInTheReport() {
        DisclosureAnalyzer analyzer = new DisclosureAnalyzer(CATALOG, new ReleaseHistory(), new SecureRandom(),
                table -> 10_000_000L);
        DisclosureReport report = analyzer.analyse("job-1", SCENARIO, DisclosureSettings.defaults(5), SQL, Set.of(),
                OutputSource.of(output()), 1, sql -> {
                    throw new AssertionError("must not run");
                }).report();
        assertThat(report.analysed()).isFalse();
        assertThat(report.note()).contains("more than 250000 rows");
    }

    /** Traces with the real tracer and counts the traces. */
    private static final class CountingTracer implements DisclosureAnalyzer.Tracing {
        private final CellTracer real = new CellTracer(CATALOG);
        int traces;

        @Override
        public CellTracer.Traced trace(String sql, Scenario scenario) throws CellTracer.NotTraced {
            traces++;
            return real.trace(sql, scenario);
        }
    }

    private static DisclosureReport analyseReading(long tableRows, CountingTracer tracer) {
        DisclosureAnalyzer analyzer = new DisclosureAnalyzer(CATALOG, new ReleaseHistory(), new SecureRandom(),
                table -> tableRows, tracer);
        return analyzer.analyse("job-1", SCENARIO, DisclosureSettings.defaults(5), SQL, Set.of("people"), Set.of(),
                OutputSource.of(output()), 1, sql -> {
                    throw new IllegalStateException("no Spark in this test");
                }).report();
    }

    @Test
    void analyse_tableAboveTheLimit_computesNoTrace() {
        CountingTracer tracer = new CountingTracer();
        DisclosureReport report = analyseReading(DisclosureAnalyzer.MAX_CONTRIBUTION_ROWS + 1L, tracer);
        assertThat(tracer.traces).isZero();
        // the same decision and reason as when the trace comes first (tables read unknown)
        assertThat(report.analysed()).isFalse();
        assertThat(report.note()).isEqualTo(new DisclosureAnalyzer(CATALOG, new ReleaseHistory(), new SecureRandom(),
                table -> DisclosureAnalyzer.MAX_CONTRIBUTION_ROWS + 1L).analyse("job-1", SCENARIO,
                DisclosureSettings.defaults(5), SQL, Set.of(), OutputSource.of(output()), 1, sql -> {
                    throw new AssertionError("must not run");
                }).report().note());
    }

    @Test
    void analyse_tableWithinTheLimit_tracesOnce() {
        CountingTracer tracer = new CountingTracer();
        analyseReading(DisclosureAnalyzer.MAX_CONTRIBUTION_ROWS, tracer);
        assertThat(tracer.traces).isEqualTo(1);
    }
}
