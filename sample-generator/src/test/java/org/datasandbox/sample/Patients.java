package org.datasandbox.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.masking.function.ValueType;

/**
 * The real {@code patients} table of the demo data (7,874 people, R survival::flchain) with the columns
 * of its reference policy ({@code examples/policies/patients.yaml}), public values of categories included.
 */
public final class Patients {
    public static final List<SampleColumn> COLUMNS = List.of(
            SampleColumn.privacyUnit("id", ValueType.INTEGER),
            SampleColumn.numeric("age", ValueType.INTEGER, 0, 110).asQuasiIdentifier(),
            SampleColumn.categorical("sex", ValueType.STRING, List.of("F", "M")),
            SampleColumn.categorical("sample_yr", ValueType.INTEGER,
                    List.of("1995", "1996", "1997", "1998", "1999", "2000", "2001", "2002", "2003")),
            SampleColumn.numeric("kappa", ValueType.DOUBLE, 0, 50),
            SampleColumn.numeric("lambda", ValueType.DOUBLE, 0, 50),
            SampleColumn.categorical("flc_grp", ValueType.INTEGER, List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")),
            SampleColumn.numeric("creatinine", ValueType.DOUBLE, 0, 10),
            SampleColumn.categorical("mgus", ValueType.INTEGER, List.of("0", "1")),
            SampleColumn.numeric("futime", ValueType.INTEGER, 0, 6000),
            SampleColumn.categorical("death", ValueType.INTEGER, List.of("0", "1")),
            SampleColumn.categorical("chapter", ValueType.STRING, List.of("Blood", "Circulatory", "Congenital", "Digestive",
                    "Endocrine", "External Causes", "Genitourinary", "Ill Defined", "Infectious", "Injury and Poisoning", "Mental",
                    "Musculoskeletal", "Neoplasms", "Nervous", "Respiratory", "Skin")));
    private static final String SCHEMA = "id INT, age INT, sex STRING, sample_yr INT, kappa DOUBLE, lambda DOUBLE, "
            + "flc_grp INT, creatinine DOUBLE, mgus INT, futime INT, death INT, chapter STRING";

    private static Dataset<Row> table;

    private Patients() {
    }

    public static synchronized Dataset<Row> table() {
        if (table == null) {
            Path file = List.of(Path.of("../examples/data/patients.csv"), Path.of("../../shared/data/patients.csv"),
                    Path.of("examples/data/patients.csv")).stream().filter(Files::exists).findFirst()
                    .orElseThrow(() -> new IllegalStateException("patients.csv not found"));
            table = TestSpark.session().read().option("header", "true").schema(SCHEMA).csv(file.toString()).cache();
        }
        return table;
    }
}
