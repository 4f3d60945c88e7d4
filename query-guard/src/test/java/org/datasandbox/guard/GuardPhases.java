package org.datasandbox.guard;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.tools.RelBuilder;
import org.datasandbox.guard.analyze.PlanAnalysis;
import org.datasandbox.guard.catalog.Scenario;
import org.datasandbox.guard.check.CheckContext;
import org.datasandbox.guard.check.Checks;
import org.datasandbox.guard.explain.SqlLocator;
import org.datasandbox.guard.parse.SparkConformance;
import org.datasandbox.guard.parse.SparkSqlParser;
import org.datasandbox.guard.rewrite.MinGroupSizeRewrite;
import org.datasandbox.guard.unparse.SparkSqlUnparser;
import org.datasandbox.guard.validate.QueryPlanner;
import org.datasandbox.guard.validate.ScenarioSchema;
import org.datasandbox.guard.validate.ScenarioSchemaCache;
import org.datasandbox.guard.validate.SemiJoins;

/**
 * Where a warm guard check spends its time, phase by phase (not a test, not a benchmark: a profiling aid).
 * Run: java -cp test-classes:classes:deps org.datasandbox.guard.GuardPhases [shape] [seconds]
 */
public final class GuardPhases {
    private static final Map<String, String> QUERIES = Map.of(
            "group_by", "SELECT district, COUNT(*) AS n, AVG(income) AS avg_income FROM residents GROUP BY district",
            "derived", "SELECT FLOOR(age / 10) AS decade, sex, COUNT(*) AS n FROM arrests WHERE year >= 2000 GROUP BY FLOOR(age / 10), sex",
            "join", "SELECT r.district, COUNT(DISTINCT r.person_id) AS patients, ROUND(AVG(v.cost), 2) AS avg_cost "
                    + "FROM residents r JOIN medical_visits v ON r.person_id = v.person_id "
                    + "WHERE r.diagnosis IN ('高血压', '2型糖尿病') GROUP BY r.district ORDER BY patients DESC",
            "subquery", "SELECT gender, COUNT(*) AS n FROM residents WHERE person_id IN "
                    + "(SELECT person_id FROM medical_visits WHERE cost > 3000) GROUP BY gender",
            "cells", "SELECT sex, COUNT(*) FILTER (WHERE death = 1) AS deaths, AVG(creatinine) AS creatinine FROM patients GROUP BY sex",
            "rejected", "SELECT name, phone FROM residents WHERE district = '洪山区'");

    private static final String[] PHASES = {"parse", "schema", "validate", "plan(all)", "analysis", "checks",
            "rewrite", "unparse", "total(guard.check)"};

    public static void main(String[] args) {
        String shape = args.length > 0 ? args[0] : "cells";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String sql = QUERIES.get(shape);
        ReferenceCatalog catalog = new ReferenceCatalog();
        Scenario scenario = ReferenceCatalog.everything();
        QueryGuard guard = new QueryGuard(catalog);
        ScenarioSchemaCache schemas = new ScenarioSchemaCache();
        var functions = SqlOperatorTables.chain(
                SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(SqlLibrary.STANDARD, SqlLibrary.SPARK),
                org.datasandbox.guard.validate.SparkOperatorsAccess.table());
        SqlValidator.Config vconfig = SqlValidator.Config.DEFAULT.withConformance(SparkConformance.INSTANCE)
                .withIdentifierExpansion(true);
        if (args.length > 2 && args[2].equals("checkOnly")) { // for a profiler: the guard alone
            long stop = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < stop) {
                guard.check(sql, scenario);
            }
            return;
        }
        int n = 0;
        long[][] times = new long[PHASES.length][2_000_000];
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long warmEnd = System.nanoTime() + seconds * 1_000_000_000L * 2 / 3;
        boolean measuring = false;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            SqlNode parsed = SparkSqlParser.parseQuery(sql);
            long t1 = System.nanoTime();
            ScenarioSchema schema = schemas.schema(catalog, scenario);
            long t2 = System.nanoTime();
            SqlValidatorUtil.newValidator(functions, schema.catalogReader(), schema.typeFactory(), vconfig)
                    .validate(SparkSqlParser.parseQuery(sql));
            long t3 = System.nanoTime();
            QueryPlanner.Planned planned = new QueryPlanner().plan(parsed, schema);
            RelNode plan = planned.plan();
            long t4 = System.nanoTime();
            PlanAnalysis analysis = new PlanAnalysis(plan, schema);
            long t5 = System.nanoTime();
            CheckContext context = new CheckContext(analysis, catalog, scenario, new SqlLocator(planned.validated()));
            var violations = Checks.run(plan, context);
            long t6 = System.nanoTime();
            long t7 = t6;
            long t8 = t6;
            if (violations.isEmpty()) {
                RelBuilder builder = RelBuilder.proto(plan.getCluster().getPlanner().getContext())
                        .create(plan.getCluster(), null).transform(c -> c.withSimplify(false));
                RelNode rewritten = new MinGroupSizeRewrite(analysis, schema, builder, scenario.minGroupSize(),
                        scenario.smallGroups()).rewrite(plan);
                t7 = System.nanoTime();
                SparkSqlUnparser.unparse(SemiJoins.expand(rewritten, builder));
                t8 = System.nanoTime();
            }
            guard.check(sql, scenario);
            long t9 = System.nanoTime();
            if (!measuring && t9 > warmEnd) {
                measuring = true;
            }
            if (measuring && n < times[0].length) {
                long[] d = {t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5, t7 - t6, t8 - t7, t9 - t8};
                for (int i = 0; i < d.length; i++) {
                    times[i][n] = d[i];
                }
                n++;
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < PHASES.length; i++) {
            long[] t = Arrays.copyOf(times[i], n);
            Arrays.sort(t);
            out.put(PHASES[i], String.format("p50 %6.1f us  mean %6.1f us", t[n / 2] / 1e3,
                    Arrays.stream(t).average().orElse(0) / 1e3));
        }
        System.out.println(shape + " (" + n + " measured; validate = parse+validate alone, plan(all) = "
                + "validate+convert+passes)");
        out.forEach((k, v) -> System.out.println(String.format("  %-20s %s", k, v)));
    }

    private GuardPhases() {
    }
}
