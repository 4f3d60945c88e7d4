package org.datasandbox.core.batch;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.datasandbox.core.catalog.CsvImport;
import org.datasandbox.core.catalog.ImportedTable;
import org.datasandbox.guard.catalog.ColumnType;

/**
 * The corpus oracle: the same CSVs in an H2 in-memory database, queried with hand-written witness SQL.
 * It shares nothing with Spark or the guard, so a wrong rewrite or a wrong unparse shows up as a
 * disagreement.
 */
final class H2Oracle implements AutoCloseable {
    private final Connection connection;

    /** One witness group: its distinct privacy units and its aggregate values. */
    record Group(long privacyUnits, List<Object> values) {
    }

    H2Oracle(Path dataDir, Map<String, Map<String, ColumnType>> declaredTypes) throws Exception {
        connection = DriverManager.getConnection("jdbc:h2:mem:oracle" + System.nanoTime() + ";DB_CLOSE_DELAY=-1;NON_KEYWORDS=YEAR,MONTH,VALUE");
        for (Map.Entry<String, Map<String, ColumnType>> table : declaredTypes.entrySet()) {
            load(table.getKey(), CsvImport.parse(Files.readAllBytes(dataDir.resolve(table.getKey() + ".csv")), table.getValue()));
        }
    }

    private void load(String name, ImportedTable table) throws SQLException {
        String columns = table.columns().stream().map(c -> c.name() + " " + sqlType(c.type())).collect(Collectors.joining(", "));
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + name + " (" + columns + ")");
        }
        String marks = table.columns().stream().map(c -> "?").collect(Collectors.joining(", "));
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + name + " VALUES (" + marks + ")")) {
            for (Object[] row : table.rows()) {
                for (int i = 0; i < row.length; i++) {
                    insert.setObject(i + 1, row[i] instanceof LocalDate d ? java.sql.Date.valueOf(d) : row[i]);
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Witness groups keyed by their normalized group values. */
    Map<List<String>, Group> witness(String from, String where, List<String> groups, String unit, List<String> values)
            throws SQLException {
        List<String> select = new ArrayList<>(groups);
        select.add("COUNT(DISTINCT " + unit + ")");
        select.addAll(values);
        String sql = "SELECT " + String.join(", ", select) + " FROM " + from
                + (where == null ? "" : " WHERE " + where)
                + (groups.isEmpty() ? "" : " GROUP BY " + String.join(", ", groups));
        Map<List<String>, Group> result = new HashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                List<String> key = new ArrayList<>();
                for (int i = 1; i <= groups.size(); i++) {
                    key.add(normalize(rows.getObject(i)));
                }
                List<Object> aggregates = new ArrayList<>();
                for (int i = 0; i < values.size(); i++) {
                    aggregates.add(rows.getObject(groups.size() + 2 + i));
                }
                result.put(key, new Group(rows.getLong(groups.size() + 1), aggregates));
            }
        }
        return result;
    }

    static String normalize(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Number number) {
            BigDecimal decimal = number instanceof Double || number instanceof Float
                    ? BigDecimal.valueOf(number.doubleValue()) : new BigDecimal(number.toString());
            return decimal.stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    private static String sqlType(ColumnType type) {
        return switch (type) {
            case STRING -> "VARCHAR";
            case INTEGER -> "INTEGER";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE PRECISION";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP";
            case BOOLEAN -> "BOOLEAN";
        };
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
