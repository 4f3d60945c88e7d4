package org.datasandbox.core.metadata;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import org.datasandbox.core.catalog.DatasetRecords;
import org.datasandbox.core.job.JobIds;
import org.datasandbox.core.policy.PolicyRecords;
import org.datasandbox.dp.accounting.BudgetStore;

/**
 * Metadata in a PostgreSQL database by JDBC URL, shareable by several servers: the schema is created or migrated
 * on open ({@link SchemaMigrations}); every read goes to the database (policies check a generation first), every
 * write is one transaction, and budget spends lock their account rows.
 */
public final class PostgresMetadataStore implements MetadataStore {
    /** Connections per server: jobs spend and read budgets concurrently; more would wait. */
    static final int CONNECTIONS = 8;

    private final Database database;
    private final String described;
    private final DatasetRecords datasets;
    private final PolicyRecords policies;
    private final BudgetStore budgets;
    private final JobIds jobIds;

    private PostgresMetadataStore(Database database, String described, Clock clock) {
        this.database = database;
        this.described = described;
        this.datasets = new PostgresDatasetRecords(database);
        this.policies = new PostgresPolicyRecords(database);
        this.budgets = new PostgresBudgetStore(database, clock);
        this.jobIds = new PostgresJobIds(database);
    }

    /** Connects and brings the schema to this build's version; refuses a database migrated further. */
    public static PostgresMetadataStore open(String url, Clock clock) throws IOException {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(clock, "clock");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the metadata URL must start with jdbc:postgresql:");
        }
        Database database = new Database(url, CONNECTIONS);
        try {
            SchemaMigrations.migrate(database);
        } catch (SchemaMigrations.NewerSchema e) {
            database.close();
            throw new MetadataUnavailableException(e.getMessage());
        } catch (SQLException e) {
            database.close();
            // the driver's message names the host and may name the user: the SQLSTATE alone goes out
            throw new MetadataUnavailableException("the metadata database cannot be opened or migrated (SQLSTATE "
                    + e.getSQLState() + ")");
        }
        return new PostgresMetadataStore(database, "postgresql", clock);
    }

    /** The schema version of the database (after {@link #open}, the newest this build knows). */
    public int schemaVersion() throws IOException {
        try {
            return database.transaction(SchemaMigrations::current);
        } catch (SQLException e) {
            throw new IOException("the metadata database cannot be read (SQLSTATE " + e.getSQLState() + ")");
        }
    }

    @Override
    public DatasetRecords datasets() {
        return datasets;
    }

    @Override
    public PolicyRecords policies() {
        return policies;
    }

    @Override
    public BudgetStore budgets() {
        return budgets;
    }

    @Override
    public JobIds jobIds() {
        return jobIds;
    }

    @Override
    public String describe() {
        return described;
    }

    @Override
    public void close() {
        database.close();
    }
}
