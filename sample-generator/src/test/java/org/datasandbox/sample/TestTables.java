package org.datasandbox.sample;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.masking.function.ValueType;

/**
 * Small tables with known shapes: 6,000 people (age and income almost linear, a city held by three
 * people, a tenth of birth dates missing) and their 7,500 visits (two or three each).
 */
public final class TestTables {
    public static final List<SampleColumn> PEOPLE = List.of(
            SampleColumn.privacyUnit("id", ValueType.LONG),
            SampleColumn.identifier("phone", ValueType.STRING, "mobile"),
            SampleColumn.categorical("gender", ValueType.STRING),
            SampleColumn.numeric("age", ValueType.INTEGER, 0, 120).asQuasiIdentifier(),
            SampleColumn.numeric("income", ValueType.DOUBLE, 0, 200_000),
            SampleColumn.categorical("city", ValueType.STRING).asQuasiIdentifier(),
            SampleColumn.numeric("birth", ValueType.DATE, Double.NaN, Double.NaN));
    public static final List<SampleColumn> VISITS = List.of(
            SampleColumn.privacyUnit("person", ValueType.LONG),
            SampleColumn.categorical("kind", ValueType.STRING));

    private static Dataset<Row> people;
    private static Dataset<Row> visits;

    private TestTables() {
    }

    public static synchronized Dataset<Row> people() {
        if (people == null) {
            people = TestSpark.session().sql("SELECT id, concat('138', lpad(CAST(id AS STRING), 8, '0')) AS phone, "
                    + "CASE WHEN id % 2 = 0 THEN 'F' ELSE 'M' END AS gender, "
                    + "CAST(18 + (id * 7919) % 60 AS INT) AS age, "
                    + "CAST(1000 * (18 + (id * 7919) % 60) + (id * 31) % 5000 AS DOUBLE) AS income, "
                    + "CASE WHEN id < 3 THEN 'Atlantis' WHEN id % 3 = 0 THEN 'Wuhan' WHEN id % 3 = 1 THEN 'Yichang' "
                    + "ELSE 'Xiangyang' END AS city, "
                    + "CASE WHEN id % 10 = 0 THEN NULL ELSE date_add(DATE '1950-01-01', CAST((id * 37) % 20000 AS INT)) END AS birth "
                    + "FROM range(6000)").cache();
        }
        return people;
    }

    public static synchronized Dataset<Row> visits() {
        if (visits == null) {
            visits = TestSpark.session().sql("SELECT id % 3000 AS person, CAST(id % 4 AS STRING) AS kind FROM range(7500)").cache();
        }
        return visits;
    }
}
