package org.datasandbox.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.guard.catalog.ColumnType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetImportTest {
    private static final long CELLS = 1_000_000;
    /** A value no error message may quote. */
    private static final String SECRET = "Zhang-13812345678";

    @TempDir
    Path dir;

    private byte[] file(String schemaText, List<Consumer<Group>> rows) throws IOException {
        return file(MessageTypeParser.parseMessageType(schemaText), rows);
    }

    private byte[] file(MessageType schema, List<Consumer<Group>> rows) throws IOException {
        Path out = dir.resolve("t" + System.nanoTime() + ".parquet");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(out)).withType(schema)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
            for (Consumer<Group> row : rows) {
                Group group = groups.newGroup();
                row.accept(group);
                writer.write(group);
            }
        }
        return Files.readAllBytes(out);
    }

    private static void assertInvalid(byte[] bytes, String message) {
        assertThatThrownBy(() -> ParquetImport.parse(bytes, Map.of(), CELLS))
                .isInstanceOfSatisfying(SandboxException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARQUET);
                    assertThat(e.getMessage()).startsWith("Invalid Parquet: ").doesNotContain(SECRET);
                })
                .hasMessageContaining(message);
    }

    @Test
    void parse_everySupportedType_readsValuesNullsAndLowerCaseNames() throws IOException {
        ByteBuffer int96 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        int96.putLong(3_600_000_000_000L).putInt(2_440_588 + 1); // 1970-01-02T01:00Z
        byte[] bytes = file("""
                message m {
                  required int32 ID;
                  optional int64 big;
                  optional int32 small (INTEGER(16,true));
                  optional int32 counter (INTEGER(32,false));
                  optional float ratio;
                  optional double fee;
                  optional boolean dead;
                  optional int32 born (DATE);
                  optional int64 seen (TIMESTAMP(MICROS,true));
                  optional int64 seen_ms (TIMESTAMP(MILLIS,false));
                  optional int96 legacy;
                  optional binary name (STRING);
                  optional binary kind (ENUM);
                }""", List.of(
                g -> g.append("ID", 1).append("big", 9_999_999_999L).append("small", -3).append("counter", -1)
                        .append("ratio", 0.5f).append("fee", 12.25).append("dead", true).append("born", 1)
                        .append("seen", 1_500_000L).append("seen_ms", 2_000L)
                        .append("legacy", Binary.fromConstantByteArray(int96.array()))
                        .append("name", "李娜").append("kind", Binary.fromString("A")),
                g -> g.append("ID", 2)));

        ImportedTable table = ParquetImport.parse(bytes, Map.of(), CELLS);

        assertThat(table.columns()).extracting(DatasetColumn::name).containsExactly("id", "big", "small", "counter",
                "ratio", "fee", "dead", "born", "seen", "seen_ms", "legacy", "name", "kind");
        assertThat(table.columns()).extracting(DatasetColumn::type).containsExactly(ColumnType.INTEGER,
                ColumnType.BIGINT, ColumnType.INTEGER, ColumnType.BIGINT, ColumnType.DOUBLE, ColumnType.DOUBLE,
                ColumnType.BOOLEAN, ColumnType.DATE, ColumnType.TIMESTAMP, ColumnType.TIMESTAMP, ColumnType.TIMESTAMP,
                ColumnType.STRING, ColumnType.STRING);
        assertThat(table.rows().get(0)).containsExactly(1, 9_999_999_999L, -3, 4_294_967_295L, 0.5, 12.25, true,
                LocalDate.of(1970, 1, 2), Instant.parse("1970-01-01T00:00:01.500Z"), Instant.parse("1970-01-01T00:00:02Z"),
                Instant.parse("1970-01-02T01:00:00Z"), "李娜", "A");
        Object[] nulls = new Object[13];
        nulls[0] = 2;
        assertThat(table.rows().get(1)).containsExactly(nulls);
    }

    @Test
    void parse_notParquetOrDamaged_isRefusedAsUnreadable() throws IOException {
        byte[] good = file("message m { required binary name (STRING); }", List.of(g -> g.append("name", SECRET)));
        assertInvalid(new byte[0], "the file is empty");
        assertInvalid(("name\n" + SECRET + "\n").getBytes(StandardCharsets.UTF_8), "not a readable Parquet file");
        assertInvalid(Arrays.copyOf(good, good.length - 9), "not a readable Parquet file");
        byte[] flipped = good.clone();
        for (int i = 4; i < good.length / 2; i++) {
            flipped[i] ^= 0x5A; // the pages, not the magic or the footer
        }
        assertInvalid(flipped, "not a readable Parquet file");
    }

    @Test
    void parse_shapesAndTypesTheSandboxDoesNotStore_sayWhatToConvertTo() throws IOException {
        assertInvalid(file("message m { optional group address { optional binary city (STRING); } }",
                List.of(g -> g.addGroup("address").append("city", SECRET))), "column address is a nested or repeated field");
        assertInvalid(file("message m { repeated int32 codes; }", List.of(g -> g.append("codes", 1).append("codes", 2))),
                "column codes is a nested or repeated field");
        assertInvalid(file("message m { optional int64 amount (DECIMAL(12,2)); }", List.of(g -> g.append("amount", 1L))),
                "column amount has the Parquet type int64 decimal(12,2), which the sandbox does not store; convert it to string");
        assertInvalid(file("message m { optional binary photo; }", List.of(g -> g.append("photo", Binary.fromString(SECRET)))),
                "column photo has the Parquet type binary");
        assertInvalid(file("message m { optional int64 n (INTEGER(64,false)); }", List.of(g -> g.append("n", 1L))),
                "column n has the Parquet type int64");
    }

    @Test
    void parse_badNamesValuesAndSizes_areRefusedWithRowAndColumn() throws IOException {
        assertInvalid(file("message m { optional int32 a; optional int32 A; }", List.of(g -> g.append("a", 1))),
                "column 2 repeats an earlier column name");
        assertInvalid(file(Types.buildMessage().optional(PrimitiveTypeName.INT32).named("first visit").named("m"),
                        List.of(g -> g.append("first visit", 1))),
                "column 1 has no valid name");
        assertInvalid(file("message m { optional double x; }", List.of(g -> g.append("x", 1.0), g -> g.append("x", Double.NaN))),
                "row 2, column x is not a finite number");
        byte[] latin1 = SECRET.replace('-', '\u00e9').getBytes(StandardCharsets.ISO_8859_1);
        assertInvalid(file("message m { optional binary name (STRING); }",
                List.of(g -> g.append("name", Binary.fromConstantByteArray(latin1)))), "row 1, column name is not valid UTF-8");
        assertInvalid(file("message m { optional binary name (STRING); }", List.of()), "the file has a schema but no rows");
        byte[] rows = file("message m { optional int32 a; optional int32 b; }",
                List.of(g -> g.append("a", 1), g -> g.append("a", 2), g -> g.append("a", 3)));
        assertThatThrownBy(() -> ParquetImport.parse(rows, Map.of(), 5))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
        assertThat(ParquetImport.parse(rows, Map.of(), 6).rows()).hasSize(3);
        assertThatThrownBy(() -> ParquetImport.parse(rows, Map.of("a", ColumnType.STRING), CELLS))
                .hasMessageContaining("a Parquet file carries its own column types");
    }
}
