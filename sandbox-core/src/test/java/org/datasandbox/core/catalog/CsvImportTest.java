package org.datasandbox.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.guard.catalog.ColumnType;
import org.junit.jupiter.api.Test;

class CsvImportTest {

    private static ImportedTable parse(String csv, Map<String, ColumnType> declared) {
        return CsvImport.parse(csv.getBytes(StandardCharsets.UTF_8), declared);
    }

    private static void assertInvalid(String csv, String message) {
        assertThatThrownBy(() -> parse(csv, Map.of()))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CSV))
                .hasMessageContaining(message);
    }

    @Test
    void parse_infersTypesPerColumnAndReadsEmptyAsNull() {
        ImportedTable table = parse("\"id\",\"Age\",\"ratio\",\"born\",\"name\"\n1,30,0.5,1990-01-02,\"Li, Na\"\n2,,1e3,,\n", Map.of());
        assertThat(table.columns()).extracting(DatasetColumn::type).containsExactly(
                ColumnType.INTEGER, ColumnType.INTEGER, ColumnType.DOUBLE, ColumnType.DATE, ColumnType.STRING);
        assertThat(table.columns()).extracting(DatasetColumn::name).containsExactly("id", "age", "ratio", "born", "name");
        assertThat(table.rows().get(0)).containsExactly(1, 30, 0.5, LocalDate.of(1990, 1, 2), "Li, Na");
        assertThat(table.rows().get(1)).containsExactly(2, null, 1000.0, null, null);
    }

    @Test
    void parse_declaredTypesWinOverInference() {
        ImportedTable table = parse("phone,id\n13812345678,00042\n", Map.of("phone", ColumnType.STRING, "id", ColumnType.STRING));
        assertThat(table.rows().get(0)).containsExactly("13812345678", "00042");
    }

    @Test
    void parse_leadingZerosSignsAndSpacesInText_areKeptAsStrings() {
        ImportedTable table = parse("code,phone,name,n\n0271,+8613812345678, Li Na ,7\n0042,13812345678,Wang ,-3\n", Map.of());
        assertThat(table.columns()).extracting(DatasetColumn::type).containsExactly(
                ColumnType.STRING, ColumnType.STRING, ColumnType.STRING, ColumnType.INTEGER);
        assertThat(table.rows().get(0)).containsExactly("0271", "+8613812345678", " Li Na ", 7);
        assertThat(table.rows().get(1)).containsExactly("0042", "13812345678", "Wang ", -3);
        assertThat(parse("x\n 12 \n", Map.of()).rows().get(0)).containsExactly(12);
    }

    @Test
    void parse_numbersTooBigForIntegerBecomeBigint() {
        assertThat(parse("n\n1\n9999999999\n", Map.of()).columns().get(0).type()).isEqualTo(ColumnType.BIGINT);
        assertThat(parse("n\nNaN\n", Map.of()).columns().get(0).type()).isEqualTo(ColumnType.STRING);
        assertThat(parse("n\n0x1p3\n", Map.of()).columns().get(0).type()).isEqualTo(ColumnType.STRING);
    }

    @Test
    void parse_badInputs_areRefusedWithoutQuotingContent() {
        assertInvalid("", "the file is empty");
        assertInvalid("a,b\n", "no rows");
        assertInvalid("a,b\n1,2,3\n", "line 2 has 3 fields but the header has 2");
        assertInvalid("a,b\n1\n", "line 2 has 1 fields");
        assertInvalid("a,a\n1,2\n", "repeats an earlier column name");
        assertInvalid("张三,b\n1,2\n", "header field 1 is not a column name");
        assertInvalid("1abc,b\n1,2\n", "header field 1");
    }

    @Test
    void parse_invalidUtf8_isRefused() {
        byte[] bytes = {'a', '\n', (byte) 0xC3, (byte) 0x28, '\n'};
        assertThatThrownBy(() -> CsvImport.parse(bytes, Map.of())).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void parse_declaredTypeThatDoesNotFit_namesRowAndColumn() {
        assertThatThrownBy(() -> parse("d\n2020-01-01\nsecret-value\n", Map.of("d", ColumnType.DATE)))
                .hasMessageContaining("line 3, column d is not a valid date (row 2)").hasMessageNotContaining("secret-value");
        assertThatThrownBy(() -> parse("d\n1\n", Map.of("x", ColumnType.DATE)))
                .hasMessageContaining("declared column x is not in the header");
    }

    @Test
    void parse_unterminatedQuote_isRefusedNamingItsLine() {
        assertInvalid("a,b\n1,\"open\n2,x\n", "a quote opened on line 2 is never closed");
        assertInvalid("a,b\n1,2\n3,4\n5,\"open\n6,x\n7,y", "a quote opened on line 4 is never closed");
        assertInvalid("a,b\r\n1,\"x\r\n2,y\r\n", "a quote opened on line 2 is never closed");
        assertInvalid("a,b\n1,\"" + "z".repeat(70_000) + "\n", "line 2");
    }

    @Test
    void parse_closedQuotesWithNewlines_areOneField() {
        ImportedTable table = parse("a,b\n1,\"two\nlines\"\n2,x\n", Map.of());
        assertThat(table.rows()).hasSize(2);
        assertThat(table.rows().get(0)).containsExactly(1, "two\nlines");
        assertThat(parse("a,b\r\n1,2\r\n3,4", Map.of()).rows()).hasSize(2);
    }

    @Test
    void parse_raggedRowsAndBadBytes_nameTheLineAndNoValue() {
        assertInvalid("a,b\n1,2\n\n3,4\n5,6,secret\n", "line 5 has 3 fields");
        assertThatThrownBy(() -> CsvImport.parse(new byte[] {'a', '\n', '1', '\n', '2', '\n', (byte) 0xC3, (byte) 0x28, '\n'}, Map.of()))
                .hasMessageContaining("not valid UTF-8 (line 4)");
        assertInvalid("a,b\n1,2\n3,\"x\"y\n", "line 3");
        assertThatThrownBy(() -> parse("a,b\n1,2\n3,secret\n", Map.of("b", ColumnType.INTEGER)))
                .hasMessageContaining("line 3, column b is not a valid integer").hasMessageNotContaining("secret");
    }
}
