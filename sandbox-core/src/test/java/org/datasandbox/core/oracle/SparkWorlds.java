package org.datasandbox.core.oracle;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Several versions of {@link OracleData} ("worlds": the dataset and its neighbours) in one Spark session,
 * stacked in {@code people_worlds}, {@code visits_worlds} and {@code labs_worlds} with a world id. A query
 * runs in every world of a batch as one Spark job: each copy sees CTEs named {@code people}, {@code visits}
 * and {@code labs} that shadow the tables with one world's rows, so the query text is not rewritten.
 */
final class SparkWorlds {
    private static final StructType PEOPLE = new StructType()
            .add("world", DataTypes.IntegerType, false).add("pid", DataTypes.LongType).add("name", DataTypes.StringType)
            .add("phone", DataTypes.StringType).add("gender", DataTypes.StringType).add("district", DataTypes.StringType)
            .add("age", DataTypes.IntegerType).add("birth_date", DataTypes.DateType).add("income", DataTypes.DoubleType)
            .add("diagnosis", DataTypes.StringType);
    private static final StructType VISITS = new StructType()
            .add("world", DataTypes.IntegerType, false).add("visit_id", DataTypes.StringType).add("pid", DataTypes.LongType)
            .add("hospital", DataTypes.StringType).add("visit_date", DataTypes.DateType).add("icd10", DataTypes.StringType)
            .add("cost", DataTypes.DoubleType);
    private static final StructType LABS = new StructType()
            .add("world", DataTypes.IntegerType, false).add("pid", DataTypes.LongType).add("test", DataTypes.StringType)
            .add("result", DataTypes.DoubleType).add("flag", DataTypes.IntegerType);

    private final SparkSession spark;
    private final int worlds;

    /** What one world's run released: rows of normalized values, or the failure (class name only). */
    record Outcome(List<List<String>> rows, String failure) {
        static Outcome failed(Throwable e) {
            return new Outcome(List.of(), e.getClass().getSimpleName());
        }

        boolean failed() {
            return failure != null;
        }
    }

    /** One query's outcomes by world, and its result schema (Spark types) in the base world. */
    record Run(Map<Integer, Outcome> outcomes, List<DataType> types) {
    }

    SparkWorlds(SparkSession spark, List<OracleData> worlds) {
        this.spark = spark;
        this.worlds = worlds.size();
        // tiny data: one partition per shuffle, no adaptive re-planning, no code generation to compile
        spark.conf().set("spark.sql.shuffle.partitions", "1");
        spark.conf().set("spark.sql.adaptive.enabled", "false");
        spark.conf().set("spark.sql.codegen.wholeStage", "false");
        spark.conf().set("spark.sql.codegen.factoryMode", "NO_CODEGEN");
        List<Row> people = new ArrayList<>();
        List<Row> visits = new ArrayList<>();
        List<Row> labs = new ArrayList<>();
        for (int w = 0; w < worlds.size(); w++) {
            OracleData data = worlds.get(w);
            for (OracleData.Person p : data.people()) {
                people.add(RowFactory.create(w, p.pid(), p.name(), p.phone(), p.gender(), p.district(), p.age(),
                        p.birthDate(), p.income(), p.diagnosis()));
            }
            for (OracleData.Visit v : data.visits()) {
                visits.add(RowFactory.create(w, v.visitId(), v.pid(), v.hospital(), v.visitDate(), v.icd10(), v.cost()));
            }
            for (OracleData.Lab l : data.labs()) {
                labs.add(RowFactory.create(w, l.pid(), l.test(), l.result(), l.flag()));
            }
        }
        spark.createDataFrame(people, PEOPLE).cache().createOrReplaceTempView("people_worlds");
        spark.createDataFrame(visits, VISITS).cache().createOrReplaceTempView("visits_worlds");
        spark.createDataFrame(labs, LABS).cache().createOrReplaceTempView("labs_worlds");
        // plain tables for the base world, for running a query as written (types of the original query)
        spark.sql("SELECT * FROM people_worlds WHERE world = 0").drop("world").createOrReplaceTempView("people");
        spark.sql("SELECT * FROM visits_worlds WHERE world = 0").drop("world").createOrReplaceTempView("visits");
        spark.sql("SELECT * FROM labs_worlds WHERE world = 0").drop("world").createOrReplaceTempView("labs");
    }

    int worlds() {
        return worlds;
    }

    SparkSession spark() {
        return spark;
    }

    /** Runs the query in world 0 (the dataset), with its result types. */
    Run base(String sql) {
        try {
            org.apache.spark.sql.Dataset<Row> frame = spark.sql(inWorld(sql, 0));
            List<DataType> types = java.util.Arrays.stream(frame.schema().fields()).map(f -> f.dataType()).toList();
            return new Run(Map.of(0, new Outcome(normalize(frame.collectAsList()), null)), types);
        } catch (Exception | StackOverflowError e) {
            return new Run(Map.of(0, Outcome.failed(e)), List.of());
        }
    }

    /**
     * Runs the query in the given worlds as one Spark job (a UNION ALL of one copy per world); when that
     * job fails, world by world, so that each world gets its own outcome.
     */
    Map<Integer, Outcome> run(String sql, List<Integer> ids, boolean expectFailures) {
        return ids.isEmpty() ? Map.of() : expectFailures ? singly(sql, ids) : batched(sql, ids);
    }

    private Map<Integer, Outcome> batched(String sql, List<Integer> ids) {
        String union = ids.stream().map(w -> "SELECT " + w + " AS oracle_world, q.* FROM (" + inWorld(sql, w) + ") q")
                .collect(Collectors.joining("\nUNION ALL\n"));
        try {
            List<Row> rows = spark.sql(union).collectAsList();
            Map<Integer, List<Row>> byWorld = new LinkedHashMap<>();
            ids.forEach(w -> byWorld.put(w, new ArrayList<>()));
            for (Row row : rows) {
                List<Object> values = new ArrayList<>();
                for (int i = 1; i < row.length(); i++) {
                    values.add(row.get(i));
                }
                byWorld.get(row.getInt(0)).add(RowFactory.create(values.toArray()));
            }
            Map<Integer, Outcome> out = new LinkedHashMap<>();
            byWorld.forEach((w, r) -> out.put(w, new Outcome(normalize(r), null)));
            return out;
        } catch (Exception | StackOverflowError e) {
            // some world fails: find which, one by one
            return singly(sql, ids);
        }
    }

    private Map<Integer, Outcome> singly(String sql, List<Integer> ids) {
        Map<Integer, Outcome> out = new LinkedHashMap<>();
        for (int w : ids) {
            try {
                out.put(w, new Outcome(normalize(spark.sql(inWorld(sql, w)).collectAsList()), null));
            } catch (Exception | StackOverflowError e) {
                out.put(w, Outcome.failed(e));
            }
        }
        return out;
    }

    private static String inWorld(String sql, int w) {
        String trimmed = sql.stripLeading();
        boolean hasWith = trimmed.regionMatches(true, 0, "WITH ", 0, 5);
        return "WITH people AS (SELECT pid, name, phone, gender, district, age, birth_date, income, diagnosis"
                + " FROM people_worlds WHERE world = " + w + "),\n"
                + "visits AS (SELECT visit_id, pid, hospital, visit_date, icd10, cost FROM visits_worlds WHERE world = " + w + "),\n"
                + "labs AS (SELECT pid, test, result, flag FROM labs_worlds WHERE world = " + w + ")"
                + (hasWith ? ",\n" + trimmed.substring(5) : "\n" + sql);
    }

    private static List<List<String>> normalize(List<Row> rows) {
        List<List<String>> out = new ArrayList<>();
        for (Row row : rows) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < row.length(); i++) {
                values.add(normalize(row.get(i)));
            }
            out.add(values);
        }
        return out;
    }

    /** A value as text; numbers to 10 significant digits, so that summation order does not show as a move. */
    static String normalize(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return d.toString();
        }
        if (value instanceof Number number) {
            BigDecimal decimal = number instanceof Double || number instanceof Float
                    ? BigDecimal.valueOf(number.doubleValue()) : new BigDecimal(number.toString());
            return decimal.round(new MathContext(10)).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }
}
