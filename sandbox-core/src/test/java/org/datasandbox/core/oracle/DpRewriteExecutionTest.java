package org.datasandbox.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.guard.QueryGuard;
import org.datasandbox.guard.catalog.ContributionBounds;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.JoinKey;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.DpQuery;
import org.datasandbox.guard.explain.Decision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guard's DP rewrite run on Spark over generated DP queries: (a) when no bound bites, every partial equals
 * an independent database's exact answer (H2); (b) with bounds that bite, removing one person or giving them
 * 100 extra rows moves the release by no more than the sensitivity the query claims
 * ({@link DpSensitivityOracle}); and the oracle catches a rewrite that claims bounds it does not enforce.
 */
class DpRewriteExecutionTest {
    static final int QUERIES = Integer.getInteger("oracle.dp.queries", 60);
    /** Each sensitivity query runs in 1 + 2 * people worlds: fewer queries keep the suite fast. */
    static final int SENSITIVITY_QUERIES = Integer.getInteger("oracle.dp.sensitivity.queries", 20);
    static final long SEED = Long.getLong("oracle.dp.seed", 10L);
    /** The two people with most visits, the one with the rare diagnosis, one without visits (when there is one). */
    static List<Long> PEOPLE;
    static final ContributionBounds BITING = new ContributionBounds(2, 2);
    static final ContributionBounds LOOSE = new ContributionBounds(1000, 1000);

    private static OracleData data;
    private static DpSensitivityOracle oracle;
    private static QueryGuard guard;
    private static SparkSession session;

    @BeforeAll
    static void worlds() {
        TestSandbox.get();
        data = OracleData.generate(OracleFixture.PEOPLE, OracleFixture.SEED);
        PEOPLE = neighbourPeople(data);
        List<OracleData> worlds = new ArrayList<>();
        worlds.add(data);
        PEOPLE.forEach(pid -> worlds.add(data.without(pid)));
        PEOPLE.forEach(pid -> worlds.add(withExtraRows(data, pid)));
        SparkSession spark = SparkSession.builder().getOrCreate().newSession();
        session = spark;
        new SparkWorlds(spark, worlds); // registers the worlds' tables in this session
        oracle = new DpSensitivityOracle(spark);
        guard = new QueryGuard(new DpCatalog(), new SplittableRandom(SEED));
    }

    @Test
    void dpRewrite_generatedQueriesWhereNoBoundBites_partialsEqualIndependentAnswer() throws Exception {
        List<String> mismatches = new ArrayList<>();
        int allowed = 0;
        int groups = 0;
        try (H2World h2 = new H2World(data)) {
            for (DpQueryGenerator.DpCase query : new DpQueryGenerator(SEED).generate(QUERIES)) {
                Optional<DpQuery> dp = dpQuery(query.sql(), LOOSE);
                if (dp.isEmpty()) {
                    System.out.println("refused: " + query.sql() + " -> " + guard.check(query.sql(), scenario(LOOSE))
                            .firstViolation().map(v -> v.message()).orElse(""));
                    continue;
                }
                allowed++;
                List<Row> released = oracle.run(dp.get().sparkSql(), List.of(0)).get(0);
                Map<List<String>, H2World.Group> expected = h2.groups(query.h2Sql(), query.keys().size(), query.unit());
                assertThat(released).as(query.sql()).hasSize(expected.size());
                for (Row row : released) {
                    groups++;
                    List<String> key = new ArrayList<>();
                    for (String column : dp.get().groupKeys()) {
                        key.add(SparkWorlds.normalize(row.get(row.fieldIndex(column))));
                    }
                    H2World.Group group = expected.get(key);
                    if (group == null) {
                        mismatches.add(query.sql() + ": group " + key + " is not in H2");
                        continue;
                    }
                    compare(query, dp.get(), row, group).forEach(m -> mismatches.add(query.sql() + ": " + key + " " + m));
                }
            }
        }
        System.out.printf("DP exact-partials oracle: %d generated queries, %d allowed, %d groups compared with H2%n",
                QUERIES, allowed, groups);
        assertThat(allowed).as("generated DP queries the guard allows").isGreaterThanOrEqualTo(QUERIES * 3 / 4);
        assertThat(groups).isGreaterThan(allowed);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void dpRewrite_generatedQueriesWithBitingBounds_stayWithinClaimedSensitivity() {
        List<String> violations = new ArrayList<>();
        int allowed = 0;
        for (DpQueryGenerator.DpCase query : new DpQueryGenerator(SEED + 1).generate(SENSITIVITY_QUERIES)) {
            Optional<DpQuery> dp = dpQuery(query.sql(), BITING);
            if (dp.isEmpty()) {
                continue;
            }
            allowed++;
            neighbourViolations(dp.get()).forEach(v -> violations.add(query.sql() + ": " + v));
        }
        System.out.printf("DP sensitivity oracle: %d generated queries, %d allowed, each against %d neighbours%n",
                SENSITIVITY_QUERIES, allowed, 2 * PEOPLE.size());
        assertThat(allowed).isGreaterThanOrEqualTo(SENSITIVITY_QUERIES * 3 / 4);
        assertThat(violations).isEmpty();
    }

    /**
     * Linf bites, L0 does not: every partial equals H2's answer computed from the rule as written (per person and
     * hospital: the count capped at Linf, the clamped sum scaled to Linf rows when there are more), on the data and
     * on the world where one person has 100 extra visits.
     */
    @Test
    void dpRewrite_rowBoundBites_partialsEqualIndependentCappedAnswer() throws Exception {
        ContributionBounds rows = new ContributionBounds(1000, 2);
        DpQuery query = dpQuery("SELECT v.hospital, COUNT(*) AS n, SUM(v.cost) AS cost, AVG(v.cost) AS mean_cost "
                + "FROM visits v GROUP BY v.hospital", rows).orElseThrow();
        String capped = "SELECT hospital, SUM(LEAST(n, 2)), SUM(CASE WHEN c > 2 THEN s * 2 / c ELSE s END), "
                + "SUM(CASE WHEN c > 2 THEN s * 2 / c ELSE s END), SUM(LEAST(c, 2)) FROM (SELECT hospital, pid, "
                + "COUNT(*) AS n, SUM(LEAST(GREATEST(cost, 0), 10000)) AS s, COUNT(cost) AS c FROM visits "
                + "GROUP BY hospital, pid) t GROUP BY hospital";
        List<String> columns = List.of("n", "cost", "mean_cost__sum", "mean_cost__count");
        int world = PEOPLE.size() + 1;
        Map<Integer, List<Row>> released = oracle.run(query.sparkSql(), List.of(0, world));
        List<String> mismatches = new ArrayList<>();
        int bitten = 0;
        for (int w : List.of(0, world)) {
            OracleData data = w == 0 ? DpRewriteExecutionTest.data : withExtraRows(DpRewriteExecutionTest.data, PEOPLE.get(0));
            try (H2World h2 = new H2World(data)) {
                Map<List<String>, H2World.Group> expected = h2.groups(capped, 1, "pid");
                assertThat(released.get(w)).hasSize(expected.size());
                for (Row row : released.get(w)) {
                    H2World.Group group = expected.get(List.of(SparkWorlds.normalize(row.get(row.fieldIndex("hospital")))));
                    for (int c = 0; c < columns.size(); c++) {
                        check(mismatches, "world " + w + " " + columns.get(c),
                                DpSensitivityOracle.number(row, columns.get(c)), group.values().get(c));
                    }
                }
            }
            Map<String, Long> perPersonHospital = data.visits().stream().collect(Collectors.groupingBy(
                    v -> v.pid() + "/" + v.hospital(), Collectors.counting()));
            bitten += (int) perPersonHospital.values().stream().filter(n -> n > 2).count();
        }
        assertThat(bitten).as("(person, hospital) pairs over Linf").isGreaterThan(3);
        assertThat(mismatches).isEmpty();
    }

    /**
     * L0 bites, Linf does not: each person keeps exactly min(their hospitals, L0) of them, so the distinct-person
     * counts of all groups add up to that sum over people (counted here from the generated rows), and no group
     * gains a person or a visit.
     */
    @Test
    void dpRewrite_groupBoundBites_eachPersonKeepsExactlyL0OfTheirGroups() {
        ContributionBounds groups = new ContributionBounds(2, 1000);
        DpQuery query = dpQuery("SELECT v.hospital, COUNT(*) AS n, COUNT(DISTINCT v.pid) AS people FROM visits v "
                + "GROUP BY v.hospital", groups).orElseThrow();
        int world = PEOPLE.size() + 1;
        Map<Integer, List<Row>> released = oracle.run(query.sparkSql(), List.of(0, world));
        for (int w : List.of(0, world)) {
            OracleData data = w == 0 ? DpRewriteExecutionTest.data : withExtraRows(DpRewriteExecutionTest.data, PEOPLE.get(0));
            Map<Long, Set<String>> hospitals = data.visits().stream().collect(Collectors.groupingBy(
                    OracleData.Visit::pid, Collectors.mapping(OracleData.Visit::hospital, Collectors.toSet())));
            long kept = hospitals.values().stream().mapToLong(h -> Math.min(h.size(), 2)).sum();
            assertThat(hospitals.values()).as("people in more hospitals than L0").anyMatch(h -> h.size() > 2);
            Map<String, Long> visits = data.visits().stream().collect(Collectors.groupingBy(OracleData.Visit::hospital,
                    Collectors.counting()));
            Map<String, Long> people = data.visits().stream().collect(Collectors.groupingBy(OracleData.Visit::hospital,
                    Collectors.mapping(OracleData.Visit::pid, Collectors.collectingAndThen(Collectors.toSet(),
                            s -> (long) s.size()))));
            long units = 0;
            for (Row row : released.get(w)) {
                String hospital = row.getString(row.fieldIndex("hospital"));
                long n = (long) DpSensitivityOracle.number(row, "n");
                long distinct = (long) DpSensitivityOracle.number(row, query.unitCountColumn());
                assertThat(n).as("world %d %s visits", w, hospital).isLessThanOrEqualTo(visits.get(hospital));
                assertThat(distinct).as("world %d %s people", w, hospital).isLessThanOrEqualTo(people.get(hospital))
                        .isEqualTo((long) DpSensitivityOracle.number(row, "people"));
                units += distinct;
            }
            assertThat(units).as("world %d: people kept over all hospitals", w).isEqualTo(kept);
        }
    }

    /**
     * NULL measures stay NULL through the clamp: people without visits joined to their (missing) visits give a
     * NULL cost that a SUM skips and a mean's count does not count. Every partial equals H2's answer computed with
     * NULL kept as it is, and the query does reach people without visits.
     */
    @Test
    void dpRewrite_nullMeasuresFromLeftJoin_partialsEqualIndependentAnswer() throws Exception {
        DpQuery query = dpQuery("SELECT p.district, COUNT(*) AS n, AVG(v.cost) AS mean_cost FROM people p "
                + "LEFT JOIN visits v ON p.pid = v.pid GROUP BY p.district", LOOSE).orElseThrow();
        String clamped = "CASE WHEN v.cost < 0 THEN 0 WHEN v.cost > 10000 THEN 10000 ELSE v.cost END";
        String exact = "SELECT p.district, COUNT(*), SUM(" + clamped + "), COUNT(" + clamped + ") FROM people p "
                + "LEFT JOIN visits v ON p.pid = v.pid GROUP BY p.district";
        List<String> columns = List.of("n", "mean_cost__sum", "mean_cost__count");
        List<Row> released = oracle.run(query.sparkSql(), List.of(0)).get(0);
        List<String> mismatches = new ArrayList<>();
        try (H2World h2 = new H2World(data)) {
            Map<List<String>, H2World.Group> expected = h2.groups(exact, 1, "p.pid");
            assertThat(released).hasSize(expected.size());
            for (Row row : released) {
                H2World.Group group = expected.get(List.of(SparkWorlds.normalize(row.get(row.fieldIndex("district")))));
                for (int c = 0; c < columns.size(); c++) {
                    check(mismatches, columns.get(c), DpSensitivityOracle.number(row, columns.get(c)),
                            group.values().get(c));
                }
            }
        }
        Set<Long> visited = data.visits().stream().map(OracleData.Visit::pid).collect(Collectors.toSet());
        assertThat(data.people()).as("people without visits").anyMatch(p -> !visited.contains(p.pid()));
        assertThat(mismatches).isEmpty();
    }

    @Test
    void sensitivityOracle_rewriteWithoutContributionBounding_isCaught() {
        DpQuery unbounded = dpQuery("SELECT v.hospital, COUNT(*) AS n FROM visits v GROUP BY v.hospital", LOOSE)
                .orElseThrow();
        DpQuery claimed = new DpQuery(unbounded.sparkSql(), unbounded.groupKeys(), unbounded.aggregates(),
                unbounded.unitCountColumn(), BITING, unbounded.publicDomains());

        assertThat(neighbourViolations(claimed)).anyMatch(v -> v.contains("n moved by"));
        assertThat(neighbourViolations(dpQuery("SELECT v.hospital, COUNT(*) AS n FROM visits v GROUP BY v.hospital",
                BITING).orElseThrow())).isEmpty();
    }

    @Test
    void sensitivityOracle_rewriteKeepingMoreGroupsPerPersonThanItClaims_isCaughtOverAllGroups() {
        DpQuery kept = dpQuery("SELECT v.hospital, COUNT(*) AS n FROM visits v GROUP BY v.hospital", BITING).orElseThrow();
        DpQuery claimed = new DpQuery(kept.sparkSql(), kept.groupKeys(), kept.aggregates(), kept.unitCountColumn(),
                new ContributionBounds(1, BITING.maxRowsPerUnitPerGroup()), kept.publicDomains());

        // each group moves within its own bound; only the total over groups (L1) and the group count exceed L0 = 1
        assertThat(neighbourViolations(claimed)).anyMatch(v -> v.contains("n moved by") && v.contains("over all groups (L1)"))
                .anyMatch(v -> v.contains("distinct units moved by") && v.contains("over all groups"));
    }

    @Test
    void sensitivityOracle_rewriteWithoutClamping_isCaught() {
        DpQuery clamped = dpQuery("SELECT p.district, SUM(p.income) AS income FROM people p GROUP BY p.district", BITING)
                .orElseThrow();
        List<DpAggregate> narrower = clamped.aggregates().stream().map(a -> new DpAggregate(a.outputName(), a.kind(),
                a.quantile(), a.lower(), a.upper() / 1000, a.partialColumns())).toList();
        DpQuery claimed = new DpQuery(clamped.sparkSql(), clamped.groupKeys(), narrower, clamped.unitCountColumn(),
                clamped.bounds(), clamped.publicDomains());

        assertThat(neighbourViolations(claimed)).anyMatch(v -> v.contains("income moved by"));
        assertThat(neighbourViolations(clamped)).isEmpty();
    }

    @Test
    void dpRewrite_oneRowPerPersonTableWithoutJoin_enforcesOneRowOneGroup() {
        DpQuery query = dpQuery("SELECT p.gender, COUNT(*) AS n, AVG(p.income) AS income FROM people p GROUP BY p.gender",
                BITING).orElseThrow();

        assertThat(query.bounds()).isEqualTo(new ContributionBounds(1, 1));
        assertThat(query.sparkSql()).doesNotContain("ROW_NUMBER");
        assertThat(neighbourViolations(query)).isEmpty();
    }

    /** Every violation over all neighbours of the dataset, each compared with the dataset. */
    private static List<String> neighbourViolations(DpQuery query) {
        List<Integer> worlds = new ArrayList<>();
        for (int w = 0; w <= 2 * PEOPLE.size(); w++) {
            worlds.add(w);
        }
        Map<Integer, List<Row>> rows = oracle.run(query.sparkSql(), worlds);
        List<String> problems = new ArrayList<>();
        for (int w = 1; w <= 2 * PEOPLE.size(); w++) {
            DpSensitivityOracle.Neighbour kind = w <= PEOPLE.size() ? DpSensitivityOracle.Neighbour.REMOVED
                    : DpSensitivityOracle.Neighbour.CHANGED;
            long pid = PEOPLE.get((w - 1) % PEOPLE.size());
            DpSensitivityOracle.violations(query, rows.get(0), rows.get(w), kind)
                    .forEach(v -> problems.add(kind + " " + pid + ": " + v));
        }
        return problems;
    }

    private static List<String> compare(DpQueryGenerator.DpCase query, DpQuery dp, Row row, H2World.Group group) {
        List<String> out = new ArrayList<>();
        if (DpSensitivityOracle.number(row, dp.unitCountColumn()) != group.units()) {
            out.add("units " + DpSensitivityOracle.number(row, dp.unitCountColumn()) + " != " + group.units());
        }
        int exact = 0;
        for (int a = 0; a < dp.aggregates().size(); a++) {
            DpAggregate aggregate = dp.aggregates().get(a);
            List<Object> expected = group.values().subList(exact, exact + query.exact().get(a).size());
            exact += query.exact().get(a).size();
            if (aggregate.kind() == DpAggregate.Kind.QUANTILE) {
                List<Double> values = DpSensitivityOracle.values(row, aggregate.partialColumns().get(0));
                double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
                double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                check(out, aggregate.outputName() + " size", values.size(), expected.get(2));
                if (!values.isEmpty()) {
                    check(out, aggregate.outputName() + " min", min, expected.get(0));
                    check(out, aggregate.outputName() + " max", max, expected.get(1));
                }
                continue;
            }
            for (int p = 0; p < aggregate.partialColumns().size(); p++) {
                String column = aggregate.partialColumns().get(p);
                check(out, column, DpSensitivityOracle.number(row, column), expected.get(p));
            }
        }
        return out;
    }

    /**
     * The production bounding on the same generated queries: each plan's unit rows, laid out by the unit (hash
     * partitions sorted by it, as stored originals are), through the streaming pass; every partial equals H2's.
     */
    @Test
    void streamingBounding_generatedQueriesWhereNoBoundBites_partialsEqualIndependentAnswer() throws Exception {
        List<String> mismatches = new ArrayList<>();
        int streamed = 0;
        int groups = 0;
        try (H2World h2 = new H2World(data)) {
            for (DpQueryGenerator.DpCase query : new DpQueryGenerator(SEED).generate(QUERIES)) {
                Optional<DpQuery> dp = dpQuery(query.sql(), LOOSE);
                if (dp.isEmpty() || dp.get().unitRows().isEmpty()) {
                    continue; // refused, or quantiles: the SQL path's alone
                }
                streamed++;
                org.apache.spark.sql.Dataset<Row> rows = session.sql(
                        DpSensitivityOracle.inWorld(dp.get().unitRows().get().sparkSql(), 0));
                org.apache.spark.sql.Dataset<Row> laidOut = rows.repartition(4,
                        org.apache.spark.sql.functions.col(org.datasandbox.guard.dp.UnitRows.UNIT))
                        .sortWithinPartitions(org.datasandbox.guard.dp.UnitRows.UNIT);
                List<Row> released = org.datasandbox.core.dprelease.LayoutProbe.streamingPartials(dp.get(), laidOut, 4)
                        .collectAsList();
                Map<List<String>, H2World.Group> expected = h2.groups(query.h2Sql(), query.keys().size(), query.unit());
                assertThat(released).as(query.sql()).hasSize(expected.size());
                for (Row row : released) {
                    groups++;
                    List<String> key = new ArrayList<>();
                    for (String column : dp.get().groupKeys()) {
                        key.add(SparkWorlds.normalize(row.get(row.fieldIndex(column))));
                    }
                    H2World.Group group = expected.get(key);
                    if (group == null) {
                        mismatches.add(query.sql() + ": group " + key + " is not in H2");
                        continue;
                    }
                    compare(query, dp.get(), row, group).forEach(m -> mismatches.add(query.sql() + ": " + key + " " + m));
                }
            }
        }
        System.out.printf("DP streaming exact-partials oracle: %d generated queries, %d streamed, %d groups compared "
                + "with H2%n", QUERIES, streamed, groups);
        assertThat(streamed).as("generated DP queries the streaming pass bounds").isGreaterThanOrEqualTo(QUERIES / 2);
        assertThat(groups).isGreaterThan(streamed);
        assertThat(mismatches).isEmpty();
    }

    private static void check(List<String> out, String what, double actual, Object expected) {
        double value = expected == null ? 0 : ((Number) expected).doubleValue();
        if (Math.abs(actual - value) > 1e-9 * Math.max(1, Math.abs(value))) {
            out.add(what + " " + actual + " != " + value);
        }
    }

    private static Optional<DpQuery> dpQuery(String sql, ContributionBounds bounds) {
        Decision decision = guard.check(sql, scenario(bounds));
        return decision.dpQuery();
    }

    private static Scenario scenario(ContributionBounds bounds) {
        return new Scenario("oracle-dp", grants(), OutputMode.DP, 2, Scenario.SmallGroups.SUPPRESS, bounds);
    }

    private static Map<String, Set<String>> grants() {
        return OracleCatalog.TABLES.values().stream().collect(Collectors.toMap(GuardTable::name,
                t -> t.columns().stream().map(GuardColumn::name).collect(Collectors.toSet())));
    }

    /** The two people with most visits, the one with the rare diagnosis, one without visits (when there is one). */
    static List<Long> neighbourPeople(OracleData data) {
        Map<Long, Long> visits = data.visits().stream().collect(Collectors.groupingBy(OracleData.Visit::pid,
                Collectors.counting()));
        List<Long> chosen = new ArrayList<>(data.people().stream().map(OracleData.Person::pid)
                .sorted(java.util.Comparator.comparing((Long pid) -> -visits.getOrDefault(pid, 0L))).limit(2).toList());
        data.people().stream().filter(p -> p.diagnosis().equals("rare")).findFirst().ifPresent(p -> chosen.add(p.pid()));
        data.people().stream().filter(p -> !visits.containsKey(p.pid())).findFirst().ifPresent(p -> chosen.add(p.pid()));
        return List.copyOf(new java.util.LinkedHashSet<>(chosen));
    }

    /** The person with 100 more visits and lab results, spread over the hospitals, codes and tests. */
    static OracleData withExtraRows(OracleData data, long pid) {
        List<OracleData.Visit> visits = new ArrayList<>(data.visits());
        List<OracleData.Lab> labs = new ArrayList<>(data.labs());
        for (int i = 0; i < 100; i++) {
            visits.add(new OracleData.Visit("X" + pid + "-" + i, pid, OracleData.HOSPITALS.get(i % 3),
                    java.time.LocalDate.of(2025, 1 + i % 12, 1 + i % 28), OracleData.ICD10.get(i % 4), 9_000 + i));
            labs.add(new OracleData.Lab(pid, OracleData.TESTS.get(i % 3), 19.5, i % 3));
        }
        return new OracleData(data.people(), visits, labs);
    }

    /** The oracle catalog, with {@code people} declared as holding one row per person. */
    private static final class DpCatalog implements GuardCatalog {
        private final OracleCatalog delegate = new OracleCatalog();

        @Override
        public Optional<GuardTable> table(String name) {
            return delegate.table(name).map(t -> t.name().equals("people") ? t.withOneRowPerUnit(true) : t);
        }

        @Override
        public List<JoinKey> joinKeys() {
            return delegate.joinKeys();
        }
    }
}
