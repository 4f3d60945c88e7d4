package org.datasandbox.core.metadata;

import java.io.IOException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.datasandbox.core.policy.PolicyRecords;

/**
 * Policy documents in the metadata database: a row per version, the term of a scenario version in its row, ended
 * scenarios in their own table. Every write first increments the one generation row in its transaction, which
 * orders concurrent writers (so version numbers have no duplicates) and tells readers on every server that they
 * must reload.
 */
final class PostgresPolicyRecords implements PolicyRecords {
    private final Database database;

    PostgresPolicyRecords(Database database) {
        this.database = database;
    }

    @Override
    public int append(Kind kind, String name, String text, LocalDate term) throws IOException {
        return write(connection -> {
            int version;
            try (PreparedStatement next = connection.prepareStatement(
                    "SELECT coalesce(max(version), 0) + 1 FROM policies WHERE kind = ? AND name = ?")) {
                next.setString(1, kind.name());
                next.setString(2, name);
                try (ResultSet row = next.executeQuery()) {
                    row.next();
                    version = row.getInt(1);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO policies VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, kind.name());
                insert.setString(2, name);
                insert.setInt(3, version);
                insert.setString(4, text);
                insert.setDate(5, term == null ? null : Date.valueOf(term));
                insert.executeUpdate();
            }
            return version;
        });
    }

    @Override
    public List<Stored> latest(Kind kind) throws IOException {
        try {
            return database.transaction(connection -> {
                List<Stored> stored = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT ON (p.name) p.name, p.version,"
                        + " p.document, p.term, e.scenario IS NOT NULL FROM policies p LEFT JOIN scenario_ends e"
                        + " ON p.kind = 'SCENARIO' AND e.scenario = p.name WHERE p.kind = ? ORDER BY p.name, p.version DESC")) {
                    select.setString(1, kind.name());
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            Date term = rows.getDate(4);
                            stored.add(new Stored(rows.getString(1), rows.getInt(2), rows.getString(3),
                                    Optional.ofNullable(term).map(Date::toLocalDate), rows.getBoolean(5)));
                        }
                    }
                }
                return stored;
            });
        } catch (SQLException e) {
            throw new IOException("the policy store cannot be read", e);
        }
    }

    @Override
    public void term(String scenario, int version, LocalDate end) throws IOException {
        write(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE policies SET term = ? WHERE kind = 'SCENARIO' AND name = ? AND version = ?")) {
                update.setDate(1, Date.valueOf(end));
                update.setString(2, scenario);
                update.setInt(3, version);
                update.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void end(String scenario, LocalDate end) throws IOException {
        write(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO scenario_ends VALUES (?, ?) ON CONFLICT (scenario) DO NOTHING")) {
                insert.setString(1, scenario);
                insert.setDate(2, Date.valueOf(end));
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public long generation() throws IOException {
        try {
            return database.transaction(connection -> {
                try (Statement select = connection.createStatement();
                        ResultSet row = select.executeQuery("SELECT value FROM policy_generation")) {
                    row.next();
                    return row.getLong(1);
                }
            });
        } catch (SQLException e) {
            throw new IOException("the policy store cannot be read", e);
        }
    }

    /** Runs a write after taking the generation row, which it increments. */
    private <T> T write(Database.Work<T> work) throws IOException {
        try {
            return database.transaction(connection -> {
                bump(connection);
                return work.run(connection);
            });
        } catch (SQLException e) {
            throw new IOException("the policy store cannot be written", e);
        }
    }

    private static void bump(Connection connection) throws SQLException {
        try (Statement update = connection.createStatement()) {
            update.executeUpdate("UPDATE policy_generation SET value = value + 1");
        }
    }
}
