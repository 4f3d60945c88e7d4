package org.datasandbox.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.guard.catalog.ColumnType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle of the Parquet import is an independent writer: Spark writes generated rows (with its own
 * defaults, such as INT96 timestamps), the import must read back exactly the values Spark was given.
 */
class ParquetImportSparkTest {
    @TempDir
    Path dir;

    @Test
    void parse_fileSparkWrote_readsExactlyTheRowsSparkWasGiven() throws Exception {
        TestSandbox.get(); // the test JVM's one SparkSession
        SparkSession spark = SparkSession.active();
        StructType schema = new StructType()
                .add("Person_ID", DataTypes.LongType).add("age", DataTypes.IntegerType)
                .add("district", DataTypes.StringType).add("fee", DataTypes.DoubleType)
                .add("born", DataTypes.DateType).add("seen", DataTypes.TimestampType).add("dead", DataTypes.BooleanType);
        Random random = new Random(14);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(RowFactory.create(1_000_000_000_000L + i, random.nextInt(100) - 1,
                    random.nextInt(10) == 0 ? null : "区" + random.nextInt(9),
                    random.nextInt(10) == 0 ? null : random.nextGaussian() * 1e4,
                    Date.valueOf(LocalDate.of(1930, 1, 1).plusDays(random.nextInt(30_000))),
                    Timestamp.from(Instant.ofEpochSecond(1_600_000_000L + random.nextInt(100_000_000), random.nextInt(1_000_000) * 1_000L)),
                    random.nextBoolean()));
        }
        Path out = dir.resolve("spark");
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(out.toUri().toString());
        Path part;
        try (Stream<Path> files = Files.list(out)) {
            part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }

        ImportedTable table = ParquetImport.parse(Files.readAllBytes(part), Map.of(), 1_000_000);

        assertThat(table.columns()).containsExactly(new DatasetColumn("person_id", ColumnType.BIGINT),
                new DatasetColumn("age", ColumnType.INTEGER), new DatasetColumn("district", ColumnType.STRING),
                new DatasetColumn("fee", ColumnType.DOUBLE), new DatasetColumn("born", ColumnType.DATE),
                new DatasetColumn("seen", ColumnType.TIMESTAMP), new DatasetColumn("dead", ColumnType.BOOLEAN));
        assertThat(table.rows()).hasSameSizeAs(rows);
        for (int r = 0; r < rows.size(); r++) {
            Row given = rows.get(r);
            assertThat(table.rows().get(r)).containsExactly(given.get(0), given.get(1), given.get(2), given.get(3),
                    given.getDate(4).toLocalDate(), given.getTimestamp(5).toInstant(), given.get(6));
        }
    }
}
