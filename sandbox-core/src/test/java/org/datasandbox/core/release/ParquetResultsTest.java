package org.datasandbox.core.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.core.TestSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A released result written as Parquet reads back in Spark (an independent reader) as the rows released. */
class ParquetResultsTest {
    @TempDir
    Path dir;

    @Test
    void write_everyResultType_readsBackInSparkWithTheSameTypesAndValues() throws Exception {
        TestSandbox.get(); // the test JVM's one SparkSession
        SparkSession spark = SparkSession.active();
        StructType schema = new StructType()
                .add("district", DataTypes.StringType).add("people", DataTypes.LongType)
                .add("visits", DataTypes.IntegerType).add("small", DataTypes.ShortType).add("tiny", DataTypes.ByteType)
                .add("avg_fee", DataTypes.DoubleType).add("ratio", DataTypes.FloatType).add("any_dead", DataTypes.BooleanType)
                .add("first_visit", DataTypes.DateType).add("last_seen", DataTypes.TimestampType)
                .add("total", DataTypes.createDecimalType(20, 2));
        List<Row> rows = new ArrayList<>();
        rows.add(RowFactory.create("东湖区", 12L, 40, (short) -3, (byte) 7, 123.25, 0.5f, true,
                Date.valueOf(LocalDate.of(2021, 3, 4)), Timestamp.from(Instant.parse("2024-05-06T07:08:09.123456Z")),
                new BigDecimal("-12345678901234.56")));
        rows.add(RowFactory.create(null, null, null, null, null, null, null, null, null, null, null));
        Path out = dir.resolve("result.parquet");

        ParquetResults.write(ArrowResults.encode(schema, rows), out);

        var read = spark.read().parquet(out.toUri().toString());
        assertThat(read.schema().fieldNames()).containsExactly(schema.fieldNames());
        for (int c = 0; c < schema.fields().length; c++) {
            assertThat(read.schema().fields()[c].dataType()).as(schema.fields()[c].name()).isEqualTo(schema.fields()[c].dataType());
        }
        List<Row> back = read.collectAsList();
        assertThat(back).hasSize(2);
        for (int r = 0; r < rows.size(); r++) {
            assertThat(values(back.get(r))).isEqualTo(values(rows.get(r)));
        }
    }

    /** Row values with dates and timestamps as java.time, whichever API the session returns. */
    private static List<Object> values(Row row) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < row.length(); i++) {
            Object value = row.get(i);
            values.add(value instanceof Date d ? d.toLocalDate() : value instanceof Timestamp t ? t.toInstant() : value);
        }
        return values;
    }
}
