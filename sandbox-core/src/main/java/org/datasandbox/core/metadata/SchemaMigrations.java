package org.datasandbox.core.metadata;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema of the metadata database, as numbered migrations applied in order on start: each runs once, in the
 * transaction that records its number, under an advisory lock so that two servers starting together do not both
 * apply it. A database migrated further than this build knows is refused rather than written by old code.
 */
final class SchemaMigrations {
    /** Arbitrary, fixed: the advisory lock key of this schema ("sandbox" in ASCII). */
    private static final long LOCK = 0x73616e64626f78L;

    /** Migration N is {@code MIGRATIONS.get(N - 1)}; append new ones, never edit an applied one. */
    static final List<List<String>> MIGRATIONS = List.of(List.of(
            "CREATE TABLE datasets (name text PRIMARY KEY, descriptor text NOT NULL)",
            "CREATE TABLE policies (kind text NOT NULL, name text NOT NULL, version integer NOT NULL, document text NOT NULL,"
                    + " term date, PRIMARY KEY (kind, name, version))",
            "CREATE TABLE scenario_ends (scenario text PRIMARY KEY, ended date NOT NULL)",
            // one row, incremented in every policy write's transaction: its row lock orders the writers, and a reader
            // sees it change only when the write is committed
            "CREATE TABLE policy_generation (value bigint NOT NULL)",
            "INSERT INTO policy_generation VALUES (0)",
            "CREATE TABLE job_ids (job_id text PRIMARY KEY, claimed_at timestamptz NOT NULL DEFAULT now())",
            "CREATE TABLE budget_accounts (scenario text NOT NULL, table_name text NOT NULL, epsilon double precision NOT NULL,"
                    + " delta double precision NOT NULL, PRIMARY KEY (scenario, table_name))",
            "CREATE TABLE budget_charges (scenario text NOT NULL, table_name text NOT NULL, sequence bigint NOT NULL,"
                    + " at text NOT NULL, purpose text NOT NULL, reference text NOT NULL, epsilon double precision NOT NULL,"
                    + " delta double precision NOT NULL, rho double precision NOT NULL, zcdp_delta double precision NOT NULL,"
                    + " PRIMARY KEY (scenario, table_name, sequence),"
                    + " FOREIGN KEY (scenario, table_name) REFERENCES budget_accounts)"));

    private SchemaMigrations() {
    }

    /** A database migrated by a newer build: our own text, safe to show. */
    static final class NewerSchema extends SQLException {
        private static final long serialVersionUID = 1L;

        NewerSchema(String message) {
            super(message);
        }
    }

    /** Brings the schema to the newest version; returns the version it was at. */
    static int migrate(Database database) throws SQLException {
        return database.transaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                statement.execute("CREATE TABLE IF NOT EXISTS sandbox_schema (version integer NOT NULL)");
                int current = current(statement);
                if (current > MIGRATIONS.size()) {
                    throw new NewerSchema("the metadata database has schema version " + current + ", newer than this "
                            + "build knows (" + MIGRATIONS.size() + "); upgrade the server");
                }
                for (int version = current + 1; version <= MIGRATIONS.size(); version++) {
                    for (String sql : MIGRATIONS.get(version - 1)) {
                        statement.execute(sql);
                    }
                }
                statement.execute("DELETE FROM sandbox_schema");
                statement.execute("INSERT INTO sandbox_schema VALUES (" + MIGRATIONS.size() + ")");
                return current;
            }
        });
    }

    static int current(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return current(statement);
        }
    }

    private static int current(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT max(version) FROM sandbox_schema")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
