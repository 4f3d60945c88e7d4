package org.datasandbox.core.oracle;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link OracleData} in an H2 in-memory database: an engine that shares nothing with Spark, Calcite or the
 * guard, for the exact answers of the queries the guard releases.
 */
final class H2World implements AutoCloseable {
    private final Connection connection;

    /** One H2 group: its distinct privacy units and its aggregate values. */
    record Group(long units, List<Object> values) {
    }

    H2World(OracleData data) throws SQLException {
        connection = DriverManager.getConnection("jdbc:h2:mem:perturbation" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE people (pid BIGINT, name VARCHAR, phone VARCHAR, gender VARCHAR, district VARCHAR,"
                    + " age INTEGER, birth_date DATE, income DOUBLE PRECISION, diagnosis VARCHAR)");
            statement.execute("CREATE TABLE visits (visit_id VARCHAR, pid BIGINT, hospital VARCHAR, visit_date DATE,"
                    + " icd10 VARCHAR, cost DOUBLE PRECISION)");
            statement.execute("CREATE TABLE labs (pid BIGINT, test VARCHAR, result DOUBLE PRECISION, flag INTEGER)");
        }
        insert("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", data.people().stream().map(p -> new Object[] {
                p.pid(), p.name(), p.phone(), p.gender(), p.district(), p.age(), java.sql.Date.valueOf(p.birthDate()),
                p.income(), p.diagnosis()}).toList());
        insert("INSERT INTO visits VALUES (?, ?, ?, ?, ?, ?)", data.visits().stream().map(v -> new Object[] {
                v.visitId(), v.pid(), v.hospital(), java.sql.Date.valueOf(v.visitDate()), v.icd10(), v.cost()}).toList());
        insert("INSERT INTO labs VALUES (?, ?, ?, ?)", data.labs().stream().map(l -> new Object[] {
                l.pid(), l.test(), l.result(), l.flag()}).toList());
    }

    private void insert(String sql, List<Object[]> rows) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    insert.setObject(i + 1, row[i]);
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * The groups of an aggregate query in H2, keyed by their normalized key values: the query's own select
     * list (keys first) with the distinct count of {@code unit} appended, so that the caller applies k.
     */
    Map<List<String>, Group> groups(String sql, int keys, String unit) throws SQLException {
        int from = sql.indexOf(" FROM ");
        String withUnits = sql.substring(0, from) + ", COUNT(DISTINCT " + unit + ") AS oracle_units" + sql.substring(from);
        Map<List<String>, Group> out = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(withUnits)) {
            int width = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> key = new ArrayList<>();
                for (int i = 1; i <= keys; i++) {
                    key.add(SparkWorlds.normalize(rows.getObject(i)));
                }
                List<Object> values = new ArrayList<>();
                for (int i = keys + 1; i < width; i++) {
                    values.add(rows.getObject(i));
                }
                out.put(key, new Group(rows.getLong(width), values));
            }
        }
        return out;
    }

    /** The rows of a query in H2 as they are, keyed by their first {@code keys} normalized values. */
    Map<List<String>, List<Object>> rows(String sql, int keys) throws SQLException {
        Map<List<String>, List<Object>> out = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            int width = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> key = new ArrayList<>();
                for (int i = 1; i <= keys; i++) {
                    key.add(SparkWorlds.normalize(rows.getObject(i)));
                }
                List<Object> values = new ArrayList<>();
                for (int i = keys + 1; i <= width; i++) {
                    values.add(rows.getObject(i));
                }
                out.put(key, values);
            }
        }
        return out;
    }

    /** The connection, for queries whose rows are compared as they are. */
    Connection connection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
